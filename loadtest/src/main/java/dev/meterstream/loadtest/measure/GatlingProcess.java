package dev.meterstream.loadtest.measure;

import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one of {@code loadtest/gatling}'s simulations in a JVM of its own, on that module's classpath only (so
 * Gatling's libraries never meet the services'), the way Gatling's own launcher would.
 */
public final class GatlingProcess {
    private GatlingProcess() {
    }

    /**
     * @param simulation     simple class name in {@code dev.meterstream.loadtest.gatling}
     * @param heapMegabytes  heap (-Xms and -Xmx)
     * @param properties     system properties the simulation (or Gatling, {@code gatling.*}) reads
     * @param resultsFolder  where Gatling writes its HTML report
     */
    public static JavaProcess start(final Path root, final String name, final String simulation,
                                    final int heapMegabytes, final Map<String, String> properties,
                                    final Path resultsFolder, final Path logFile) {
        // Gatling's own launcher passes these three on current JDKs.
        final List<String> jvmArgs = new ArrayList<>(List.of("-Xms" + heapMegabytes + "m",
                "-Xmx" + heapMegabytes + "m", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        properties.forEach((key, value) -> jvmArgs.add("-D" + key + "=" + value));
        return JavaProcess.builder(name)
                .classpath(ModuleClasspath.of(root, "loadtest/gatling"))
                .jvmArgs(jvmArgs)
                .mainClass("io.gatling.app.Gatling")
                .args("--simulation", "dev.meterstream.loadtest.gatling." + simulation,
                        "--results-folder", resultsFolder.toString())
                .logFile(logFile)
                .start();
    }
}
