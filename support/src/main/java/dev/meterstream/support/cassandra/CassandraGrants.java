package dev.meterstream.support.cassandra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each service's Cassandra role may do on the views' keyspace, and nothing more: the processor's sink reads and
 * writes the views, query-api only reads them; neither may change the schema, which an administrator applies first
 * (its own check at start then finds every migration applied). The one list, given by the local secure stack (infra's
 * StackSecurity) and by a cluster's schema job (stream-processor's SchemaSetup).
 */
public final class CassandraGrants {
    private CassandraGrants() {
    }

    /** Each role's permissions on the keyspace, the processor's first. */
    public static Map<String, List<String>> permissions(final String processorRole, final String queryRole) {
        final Map<String, List<String>> permissions = new LinkedHashMap<>();
        permissions.put(processorRole, List.of("SELECT", "MODIFY"));
        permissions.put(queryRole, List.of("SELECT"));
        return permissions;
    }

    /** The GRANT statements for {@link #permissions}; the roles must exist. A grant given twice is one grant. */
    public static List<String> statements(final String keyspace, final String processorRole, final String queryRole) {
        final List<String> statements = new ArrayList<>();
        for (final Map.Entry<String, List<String>> grant : permissions(processorRole, queryRole).entrySet()) {
            for (final String permission : grant.getValue()) {
                statements.add("GRANT " + permission + " ON KEYSPACE " + keyspace + " TO \"" + grant.getKey() + "\"");
            }
        }
        return statements;
    }
}
