package dev.meterstream.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code meterstream send|query|keys ...}: wires the commands; exit 0 done, 1 refused or failed, 2 bad usage. */
public final class Main {
    static final String USAGE = """
            usage: meterstream <command> [options]
              send [file|-]                       JSON lines of events (stdin if no file), sent batched
                   [--url U] [--key K] [--batch N] [--linger-ms N] [--timeout-s N] [--quiet]
              query usage <meter> --from T --to T [--window W] [--subject S]... [--group-by D]... [--csv]
              query top <meter> --from T --to T [--window W] [--limit N] [--csv]
                   [--url U] [--key K]
              keys create --scope ingest|query|admin [--expires-at T]
              keys list
              keys revoke <id>
                   [--url U] [--key K]
            defaults: ingest at $MS_INGEST_URL or http://127.0.0.1:8080, query at $MS_QUERY_URL or
            http://127.0.0.1:8081; keys from --key, else $MS_API_KEY / $MS_QUERY_KEY / $MS_ADMIN_KEY, else the
            .data/dev-*-key files ./dev up writes in this directory.
            """;

    private Main() {
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.in, System.out, System.err));
    }

    /** The command on these streams and this environment; its exit code. (Tests of other modules call it too.) */
    public static int run(final List<String> args, final Map<String, String> environment, final InputStream stdin,
                          final PrintStream out, final PrintStream err) {
        final Endpoints endpoints = new Endpoints(environment, Path.of(".data"));
        try {
            if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
                out.print(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            final List<String> rest = args.subList(1, args.size());
            return switch (args.get(0)) {
                case "send" -> new SendCommand(endpoints, stdin, out, err).run(Arguments.parse(rest,
                        Set.of("url", "key", "batch", "linger-ms", "timeout-s"), Set.of("quiet")));
                case "query" -> new QueryCommand(endpoints, out).run(Arguments.parse(rest,
                        Set.copyOf(QueryCommand.options()), Set.of("csv")));
                case "keys" -> new KeysCommand(endpoints, out).run(Arguments.parse(rest,
                        Set.copyOf(KeysCommand.options()), Set.of()));
                default -> throw new UsageException("unknown command " + args.get(0));
            };
        } catch (final UsageException e) {
            err.println("meterstream: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (final QueryApi.Refused e) {
            err.println("meterstream: " + e.getMessage());
            return 1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("meterstream: interrupted");
            return 1;
        } catch (final java.io.IOException | IllegalArgumentException e) {
            err.println("meterstream: " + e.getMessage());
            return 1;
        }
    }
}
