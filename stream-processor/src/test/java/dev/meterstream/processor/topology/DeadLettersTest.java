package dev.meterstream.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.processor.ProcessorSettings;
import dev.meterstream.event.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's settings make a record that throws in a processor a dead letter (its original bytes, the reason,
 * where it came from) and let the next record through, instead of killing the stream thread, whose replacement
 * would fail on the same record again.
 */
class DeadLettersTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldDeadLetterARecordThatThrowsInAProcessorAndGoOn() {
        final ProcessorSettings settings = ProcessorSettings.defaults("dead-letters-test", "unused:9092", stateDir)
                .withDedupeHotWindow(Duration.ofHours(24)).withStreamThreads(1)
                .withCommitInterval(Duration.ofMillis(100)).withCacheMaxBytes(1024 * 1024).withRawPartitions(1);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.RAW, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> {
                    if (value.equals("poison")) {
                        throw new IllegalStateException("cannot take " + value);
                    }
                    return value.toUpperCase();
                })
                .to(Topics.EVENTS, Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), settings.streamsConfig())) {
            final TestInputTopic<String, String> raw = driver.createInputTopic(Topics.RAW, new StringSerializer(),
                    new StringSerializer());
            final TestOutputTopic<String, String> out = driver.createOutputTopic(Topics.EVENTS,
                    new StringDeserializer(), new StringDeserializer());
            final TestOutputTopic<String, String> dead = driver.createOutputTopic(Topics.DEAD_LETTERS,
                    new StringDeserializer(), new StringDeserializer());

            raw.pipeInput("k1", "poison");
            raw.pipeInput("k2", "fine");

            assertEquals(List.of("FINE"), out.readValuesToList());
            final List<TestRecord<String, String>> letters = dead.readRecordsToList();
            assertEquals(1, letters.size());
            assertEquals("k1", letters.getFirst().key());
            assertEquals("poison", letters.getFirst().value());
            final String reason = new String(letters.getFirst().headers().lastHeader(Topics.DEAD_LETTER_REASON)
                    .value(), StandardCharsets.UTF_8);
            assertTrue(reason.contains("cannot take poison"), reason);
            assertEquals(Topics.RAW + "/0/0", new String(letters.getFirst().headers()
                    .lastHeader(Topics.DEAD_LETTER_SOURCE).value(), StandardCharsets.UTF_8));
        }
    }
}
