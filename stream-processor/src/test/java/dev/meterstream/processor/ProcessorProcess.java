package dev.meterstream.processor;

import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.infra.process.JavaProcess;
import dev.meterstream.infra.process.ModuleClasspath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** stream-processor as its own process, as ./dev up runs it: for tests that kill, restart or watch it exit. */
final class ProcessorProcess {
    private ProcessorProcess() {
    }

    /** The project root (tests run in the module's directory). */
    static Path root() {
        return Path.of(System.getProperty("meterstream.home", "..")).toAbsolutePath();
    }

    /**
     * Starts it with these configuration keys set (each {@code key=value}); its log goes to the module's target/
     * (kept for a failure's post-mortem, gone with {@code mvn clean}), named after the state directory.
     */
    static JavaProcess start(final String name, final KafkaEndpoint kafka, final Path stateDir,
                             final String... settings) {
        final List<String> args = new ArrayList<>(List.of("-Xmx512m", "-Dserver.port=0",
                "-Dkafka.bootstrap-servers=" + kafka.bootstrapServers(), "-Dprocessor.state-dir=" + stateDir));
        for (final String setting : settings) {
            args.add("-D" + setting);
        }
        return JavaProcess.builder(name)
                .classpath(ModuleClasspath.of(root(), "stream-processor"))
                .jvmArgs(args)
                .mainClass(Main.class.getName())
                .logFile(log(stateDir, name))
                .start();
    }

    static Path log(final Path stateDir, final String name) {
        return root().resolve("stream-processor/target/" + stateDir.getFileName() + "-" + name + ".log");
    }
}
