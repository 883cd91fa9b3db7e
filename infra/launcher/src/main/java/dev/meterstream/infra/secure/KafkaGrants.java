package dev.meterstream.infra.secure;

import static dev.meterstream.infra.process.Modules.INGEST_API;
import static dev.meterstream.infra.process.Modules.QUERY_API;
import static dev.meterstream.infra.process.Modules.STREAM_PROCESSOR;

import dev.meterstream.event.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each service may do on a secure cluster, and nothing more: the one list of the services' Kafka ACLs. Each
 * service is the user named as its module.
 * <ul>
 *   <li>ingest-api writes {@link Topics#RAW} and reads {@link Topics#API_KEYS}; it creates no topic.</li>
 *   <li>query-api reads and writes {@link Topics#API_KEYS} and {@link Topics#METER_DEFINITIONS} (the latter
 *       transactionally, as {@link Topics#METER_DEFINITIONS_WRITER}), and may create those two.</li>
 *   <li>stream-processor creates and reads the raw topic, writes its outputs, reads the meter definitions, and owns
 *       everything named with its application id as prefix (internal topics, consumer groups, transactional ids,
 *       meter backfills), plus the sink's consumer group.</li>
 * </ul>
 * Every service may read the settings of the topics it uses ({@code DESCRIBE_CONFIGS}): each checks at start that
 * they are not weaker than it needs.
 */
public final class KafkaGrants {
    private KafkaGrants() {
    }

    /**
     * Every ACL of the three services.
     *
     * @param processorApplicationId the processor's {@code processor.application-id}
     * @param sinkGroupId            the processor's {@code sink.group-id}
     */
    public static List<AclBinding> all(final String processorApplicationId, final String sinkGroupId) {
        final List<AclBinding> acls = new ArrayList<>();
        topic(acls, INGEST_API, Topics.RAW, AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        topic(acls, INGEST_API, Topics.API_KEYS, AclOperation.READ, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);

        for (final String topic : List.of(Topics.API_KEYS, Topics.METER_DEFINITIONS)) {
            topic(acls, QUERY_API, topic, AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        }
        grant(acls, QUERY_API, ResourceType.TRANSACTIONAL_ID, Topics.METER_DEFINITIONS_WRITER, PatternType.LITERAL,
                AclOperation.WRITE, AclOperation.DESCRIBE);

        topic(acls, STREAM_PROCESSOR, Topics.RAW, AclOperation.CREATE, AclOperation.READ, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        topic(acls, STREAM_PROCESSOR, Topics.METER_DEFINITIONS, AclOperation.CREATE, AclOperation.READ,
                AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        for (final String topic : List.of(Topics.EVENTS, Topics.AGGREGATES, Topics.DEAD_LETTERS,
                Topics.METER_AGGREGATES, Topics.METER_BOUNDARIES)) {
            topic(acls, STREAM_PROCESSOR, topic, AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        }
        grant(acls, STREAM_PROCESSOR, ResourceType.TOPIC, processorApplicationId, PatternType.PREFIXED,
                AclOperation.ALL);
        grant(acls, STREAM_PROCESSOR, ResourceType.GROUP, processorApplicationId, PatternType.PREFIXED,
                AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE);
        grant(acls, STREAM_PROCESSOR, ResourceType.TRANSACTIONAL_ID, processorApplicationId, PatternType.PREFIXED,
                AclOperation.WRITE, AclOperation.DESCRIBE);
        grant(acls, STREAM_PROCESSOR, ResourceType.GROUP, sinkGroupId, PatternType.LITERAL, AclOperation.READ,
                AclOperation.DESCRIBE);
        return List.copyOf(acls);
    }

    private static void topic(final List<AclBinding> acls, final String user, final String topic,
                              final AclOperation... operations) {
        grant(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, operations);
    }

    private static void grant(final List<AclBinding> acls, final String user, final ResourceType type,
                              final String name, final PatternType pattern, final AclOperation... operations) {
        for (final AclOperation operation : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
