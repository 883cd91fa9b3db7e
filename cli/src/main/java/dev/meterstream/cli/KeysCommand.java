package dev.meterstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code meterstream keys create --scope S [--expires-at T] | list | revoke ID}: the tenant's API keys, through
 * query-api's admin API, with an admin key. A made key is shown once, as the server shows it.
 */
final class KeysCommand {
    private final Endpoints endpoints;
    private final PrintStream out;

    KeysCommand(final Endpoints endpoints, final PrintStream out) {
        this.endpoints = endpoints;
        this.out = out;
    }

    int run(final Arguments args) throws IOException, InterruptedException {
        if (args.positionals().isEmpty()) {
            throw new UsageException("keys create, keys list or keys revoke <id>");
        }
        final QueryApi api = new QueryApi(endpoints.queryUrl(args), endpoints.key(args, "MS_ADMIN_KEY",
                "dev-admin-key"));
        switch (args.positionals().get(0)) {
            case "create" -> {
                final ObjectNode request = QueryApi.JSON.createObjectNode().put("scope", args.required("scope"));
                args.option("expires-at").ifPresent(at -> request.put("expiresAt", at));
                final JsonNode made = api.json("POST", "/api/keys", request.toString());
                out.println("key " + made.path("key").asText() + "  (shown this once: keep it now)");
                out.print(Table.of(QueryApi.JSON.createArrayNode().add(((ObjectNode) made.deepCopy()).without("key"))));
            }
            case "list" -> out.print(Table.of(api.json("GET", "/api/keys", null).path("keys")));
            case "revoke" -> {
                if (args.positionals().size() != 2) {
                    throw new UsageException("keys revoke takes the key's id");
                }
                out.print(Table.of(QueryApi.JSON.createArrayNode().add(api.json("DELETE", "/api/keys/"
                        + QueryCommand.encode(args.positionals().get(1)), null))));
            }
            default -> throw new UsageException("keys create, keys list or keys revoke <id>, not "
                    + args.positionals().get(0));
        }
        return 0;
    }

    static List<String> options() {
        return List.of("url", "key", "scope", "expires-at");
    }
}
