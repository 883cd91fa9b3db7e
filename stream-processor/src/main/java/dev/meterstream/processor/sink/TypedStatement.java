package dev.meterstream.processor.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;

/**
 * A prepared statement whose values are encoded with codecs chosen once, from its variables' CQL types, when it is
 * prepared. {@link PreparedStatement#bind(Object...)} looks a codec up for every value from the value's runtime
 * class, and for a map it inspects the map's entries and builds a generic type each time: in a profile of the sink
 * draining a backlog, those lookups were about a tenth of the sink thread. The values are the CQL types' default
 * Java types (text String, timestamp Instant, date LocalDate, int Integer, bigint Long, decimal BigDecimal,
 * map Map), as the statements here always bind.
 */
final class TypedStatement {
    private final PreparedStatement statement;
    private final TypeCodec<Object>[] codecs;
    private final ProtocolVersion protocol;

    @SuppressWarnings("unchecked")
    TypedStatement(final CqlSession session, final String cql) {
        statement = session.prepare(cql);
        protocol = session.getContext().getProtocolVersion();
        final CodecRegistry registry = session.getContext().getCodecRegistry();
        final ColumnDefinitions variables = statement.getVariableDefinitions();
        codecs = new TypeCodec[variables.size()];
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = registry.codecFor(variables.get(i).getType());
        }
    }

    /** Binds one value per variable, in order. */
    BoundStatement bind(final Object... values) {
        if (values.length != codecs.length) {
            throw new IllegalArgumentException("the statement has " + codecs.length + " variables, " + values.length
                    + " values were given: " + statement.getQuery());
        }
        final BoundStatementBuilder builder = statement.boundStatementBuilder();
        for (int i = 0; i < values.length; i++) {
            builder.setBytesUnsafe(i, codecs[i].encode(values[i], protocol));
        }
        return builder.build();
    }
}
