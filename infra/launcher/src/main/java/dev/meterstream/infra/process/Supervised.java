package dev.meterstream.infra.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program that is not a JVM (HAProxy, say) as a child JVM of the launcher, so that it is started, stopped
 * and cleaned up exactly as every other child ({@link #start}).
 * The program is this JVM's own child with {@code setpriv --pdeathsig TERM}, forked from the main thread, which
 * waits for it for its whole life: so the program ends when this JVM ends, however it ends (SIGTERM, the launcher
 * gone through {@link ParentWatch}, or SIGKILL).
 */
public final class Supervised {
    private static final long STOP_GRACE_SECONDS = 10;

    private Supervised() {
    }

    /**
     * Starts the installed {@code program} (Debian's package of that name) with {@code args} under a supervising JVM
     * called {@code name}, which is small: it only waits for its program.
     *
     * @param neededFor what the program is for, in the error when it is not installed
     */
    public static JavaProcess start(final String name, final String program, final String neededFor,
                                    final List<String> args, final Path logFile) {
        final Path binary = Installed.program(program).orElseThrow(() -> new IllegalStateException(program
                + " is not installed (apt-get install " + program + ", Debian's package); it " + neededFor));
        final List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(args);
        return JavaProcess.builder(name)
                .jvmArgs("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .mainClass(Supervised.class.getName())
                .args(command.toArray(String[]::new))
                .logFile(logFile)
                .start();
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: Supervised <program> [args...]");
        }
        final List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM", "--"));
        command.addAll(Arrays.asList(args));
        final Process program = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            program.destroy();
            try {
                if (!program.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    program.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                program.destroyForcibly();
            }
        }, "supervised-stop"));
        System.exit(program.waitFor());
    }
}
