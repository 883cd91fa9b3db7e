package dev.meterstream.loadtest.measure;

import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the lean open-model generator ({@code loadtest/gatling}'s {@code dev.meterstream.loadtest.open.OpenLoadMain})
 * in a JVM of its own, so that its CPU is read apart from the system's.
 */
public final class GeneratorProcess {
    private GeneratorProcess() {
    }

    /** @param properties the {@code load.*} system properties it reads */
    public static JavaProcess start(final Path root, final String name, final Map<String, String> properties,
                                    final Path logFile) {
        // One thread does the work; a small young generation keeps its collections short and rare.
        final List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-XX:+UseSerialGC"));
        properties.forEach((key, value) -> jvmArgs.add("-D" + key + "=" + value));
        return JavaProcess.builder(name)
                .classpath(ModuleClasspath.of(root, "loadtest/gatling"))
                .jvmArgs(jvmArgs)
                .mainClass("dev.meterstream.loadtest.open.OpenLoadMain")
                .logFile(logFile)
                .start();
    }
}
