package dev.meterstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code meterstream query usage|top <meter> --from T --to T [...] [--csv]}: a meter's usage series or its top
 * subjects, as a table (with the answer's {@code completeThrough}) or as the CSV query-api writes.
 */
final class QueryCommand {
    private final Endpoints endpoints;
    private final PrintStream out;

    QueryCommand(final Endpoints endpoints, final PrintStream out) {
        this.endpoints = endpoints;
        this.out = out;
    }

    int run(final Arguments args) throws IOException, InterruptedException {
        if (args.positionals().size() != 2) {
            throw new UsageException("query takes what (usage or top) and a meter");
        }
        final String what = args.positionals().get(0);
        final String meter = args.positionals().get(1);
        final StringBuilder path = new StringBuilder("/api/meters/").append(encode(meter));
        final String items;
        if (what.equals("usage")) {
            path.append("/usage");
            items = "points";
        } else if (what.equals("top")) {
            path.append("/top");
            items = "subjects";
        } else {
            throw new UsageException("query usage or query top, not " + what);
        }
        path.append("?from=").append(encode(args.required("from"))).append("&to=").append(encode(args.required("to")));
        args.option("window").ifPresent(window -> path.append("&window=").append(encode(window)));
        args.option("limit").ifPresent(limit -> path.append("&limit=").append(encode(limit)));
        for (final String subject : args.all("subject")) {
            path.append("&subject=").append(encode(subject));
        }
        for (final String dimension : args.all("group-by")) {
            path.append("&groupBy=").append(encode(dimension));
        }
        final QueryApi api = new QueryApi(endpoints.queryUrl(args), endpoints.key(args, "MS_QUERY_KEY",
                "dev-query-key"));
        if (args.flag("csv")) {
            out.print(api.call("GET", path.toString(), "text/csv", null));
            return 0;
        }
        final JsonNode answer = api.json("GET", path.toString(), null);
        out.print(Table.of(answer.path(items)));
        out.println("complete through " + (answer.path("completeThrough").isNull() ? "(nothing yet)"
                : answer.path("completeThrough").asText()) + (answer.path("backfilling").asBoolean(false)
                ? "; still backfilling" : ""));
        return 0;
    }

    static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> options() {
        return List.of("url", "key", "from", "to", "window", "limit", "subject", "group-by");
    }
}
