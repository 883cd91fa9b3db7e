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
 * A prepared write whose values are encoded with the codecs its variables' CQL types call for, found once when it
 * is prepared. The driver's {@code PreparedStatement.bind(Object...)} finds each value's codec again on every call,
 * from the value's Java class (and a map's from its entries, by reflection): in session 27's profile that was an
 * eighth of the sink's thread, for writes whose types never change. The values are the same Java types the
 * driver's default codecs take (text as String, timestamp as Instant, decimal as BigDecimal, and so on); a value of
 * another type fails here as it failed there.
 */
final class PreparedWrite {
    private final PreparedStatement statement;
    private final TypeCodec<Object>[] codecs;
    private final ProtocolVersion protocol;

    @SuppressWarnings("unchecked")
    PreparedWrite(final CqlSession session, final String cql) {
        this.statement = session.prepare(cql);
        final CodecRegistry registry = session.getContext().getCodecRegistry();
        final ColumnDefinitions variables = statement.getVariableDefinitions();
        this.codecs = (TypeCodec<Object>[]) new TypeCodec<?>[variables.size()];
        for (int i = 0; i < codecs.length; i++) {
            codecs[i] = (TypeCodec<Object>) registry.codecFor(variables.get(i).getType());
        }
        this.protocol = session.getContext().getProtocolVersion();
    }

    /** The write with these values, one per variable in order (null writes a null). */
    BoundStatement bind(final Object... values) {
        if (values.length != codecs.length) {
            throw new IllegalArgumentException(codecs.length + " values expected, " + values.length + " given: "
                    + statement.getQuery());
        }
        final BoundStatementBuilder builder = statement.boundStatementBuilder();
        for (int i = 0; i < values.length; i++) {
            builder.setBytesUnsafe(i, codecs[i].encode(values[i], protocol));
        }
        return builder.build();
    }
}
