package dev.meterstream.infra.dev;

import dev.meterstream.infra.process.DataDirectories;
import dev.meterstream.support.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./dev}: {@code up [--brokers 1|3] [--secure] [--instances N] [--observe] [--set key=value]...} runs the
 * whole system in the foreground until Ctrl-C or SIGTERM ({@code --secure}: TLS, authentication and least rights on
 * every hop, see
 * {@link StackSecurity}; {@code --instances}: N ingest-api instances behind HAProxy and N stream-processor
 * instances; {@code --observe}: Prometheus over every process, with the project's rules);
 * {@code down} stops a running {@code up} (by the PID it recorded); {@code clean} stops it and deletes
 * {@code .data/}; {@code keys create|list|revoke} manages API keys in the running stack's keys topic
 * ({@link DevKeysCommand}). Wiring only: the work is in {@link DevStack}.
 */
public final class DevMain {
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(180);

    private DevMain() {
    }

    public static void main(final String[] args) throws Exception {
        final Path root = Path.of(System.getProperty("meterstream.home", ".")).toAbsolutePath().normalize();
        final Path pidFile = root.resolve(".data/dev.pid");
        final String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up" -> {
                final UpOptions options = UpOptions.parse(args);
                up(root, pidFile, options);
            }
            case "down" -> down(pidFile);
            case "keys" -> System.exit(DevKeysCommand.run(root.resolve(".data"), args, System.out, System.err));
            case "clean" -> {
                down(pidFile);
                DataDirectories.deleteTree(root.resolve(".data"));
                System.out.println("deleted " + root.resolve(".data"));
            }
            default -> {
                System.err.println("usage: ./dev up [--brokers 1|3] [--secure] [--instances N] [--observe] "
                        + "[--set key=value]... | down | clean | keys ...");
                System.exit("help".equals(command) ? 0 : 2);
            }
        }
    }

    /** The options of {@code up}. */
    private record UpOptions(int brokers, ConfigOverrides overrides, boolean secure, int instances,
                             boolean observe) {
        static UpOptions parse(final String[] args) {
            int brokers = 1;
            ConfigOverrides overrides = ConfigOverrides.NONE;
            boolean secure = false;
            int instances = 1;
            boolean observe = false;
            for (int i = 1; i < args.length; i++) {
                if ("--secure".equals(args[i])) {
                    secure = true;
                    continue;
                }
                if ("--observe".equals(args[i])) {
                    observe = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i]);
                }
                switch (args[i]) {
                    case "--brokers" -> {
                        brokers = Integer.parseInt(args[++i]);
                        if (brokers != 1 && brokers != 3) {
                            throw new IllegalArgumentException("--brokers must be 1 or 3, was " + brokers);
                        }
                    }
                    case "--set" -> overrides = overrides.with(args[++i]);
                    case "--instances" -> instances = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option for up: " + args[i]);
                }
            }
            return new UpOptions(brokers, overrides, secure, instances, observe);
        }
    }

    private static void up(final Path root, final Path pidFile, final UpOptions options) throws Exception {
        final Optional<ProcessHandle> running = recorded(pidFile);
        if (running.isPresent()) {
            System.err.println("./dev up is already running (pid " + running.get().pid() + "); ./dev down stops it");
            System.exit(1);
        }
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        final long started = System.nanoTime();
        final Path dataDir = root.resolve(".data");
        final DevKeys keys = new DevKeys(dataDir);
        final StackLayout plain = new StackLayout(dataDir, options.brokers(), false, null, null, null,
                options.overrides(), Optional.of(StackLayout.sharedAotCache(root)));
        final StackLayout secured = (options.secure() ? plain.secured() : plain).withInstances(options.instances());
        final DevStack stack = new DevStack(root, options.observe() ? secured.observed() : secured, System.out);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            stack.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (final IOException ignored) {
                // nothing to do while the JVM exits
            }
            System.out.println("stopped");
            stopped.countDown();
        }, "dev-down"));
        try {
            stack.start(kafka -> {
                AdminClientFile.write(dataDir, kafka);
                keys.ensure(kafka);
                System.out.printf("api key          %s (tenant %s, producer; also in %s; analyst key in %s; admin key "
                                + "in %s; ./dev keys makes more)%n", keys.ingestKey(), DevKeys.TENANT,
                        keys.file(Scope.INGEST), keys.file(Scope.QUERY), keys.file(Scope.ADMIN));
            });
        } catch (final RuntimeException e) {
            System.err.println("./dev up failed: " + e.getMessage());
            System.exit(1);
        }
        System.out.printf("ready in %.1f s (%s)%n", (System.nanoTime() - started) / 1e9,
                ResidentMemory.describe(stack.processes()));
        stopped.await();
    }

    private static void down(final Path pidFile) throws InterruptedException {
        final Optional<ProcessHandle> running = recorded(pidFile);
        if (running.isEmpty()) {
            System.out.println("nothing running");
            return;
        }
        final ProcessHandle up = running.get();
        System.out.println("stopping ./dev up (pid " + up.pid() + ")");
        up.destroy();
        final long deadline = System.nanoTime() + DOWN_TIMEOUT.toNanos();
        while (up.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (up.isAlive()) {
            System.err.println("pid " + up.pid() + " did not stop within " + DOWN_TIMEOUT.toSeconds() + " s");
            System.exit(1);
        }
        System.out.println("stopped");
    }

    /** The recorded ./dev up process, if it is still alive and is a java process (PIDs get reused). */
    private static Optional<ProcessHandle> recorded(final Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            final long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().command().map(c -> c.endsWith("java")).orElse(true));
        } catch (final IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
