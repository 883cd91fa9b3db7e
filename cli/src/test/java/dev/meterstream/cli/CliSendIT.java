package dev.meterstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.infra.junit.InfraExtension;
import dev.meterstream.infra.kafka.KafkaEndpoint;
import dev.meterstream.ingest.IngestServer;
import dev.meterstream.ingest.IngestSettings;
import dev.meterstream.support.auth.ApiKeys;
import dev.meterstream.support.config.ServiceConfig;
import io.helidon.config.Config;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code meterstream send} against a real ingest-api on a real broker: the summary says what became of each line. */
@ExtendWith(InfraExtension.class)
class CliSendIT {
    @Test
    void shouldSendAFileOfJsonLinesAndSummarizeAcceptedAndRejectedWithReasons(final KafkaEndpoint kafka,
                                                                              @TempDir final Path dir)
            throws Exception {
        final String key = ApiKeys.generateKey();
        final Path keys = Files.writeString(dir.resolve("keys"), ApiKeys.sha256(key) + " acme\n");
        final Config config = ServiceConfig.defaults(IngestSettings.DEFAULTS, Map.of("server.port", "0",
                ServiceConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(), "auth.keys-file", keys.toString()));
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            lines.append("{\"subject\":\"s-").append(i % 7).append("\",\"meter\":\"cli-sends\",\"quantity\":")
                    .append(i).append(",\"properties\":{\"n\":\"").append(i).append("\"}}\n");
        }
        lines.append("{\"id\":\"neg\",\"subject\":\"s\",\"meter\":\"cli-sends\",\"quantity\":-1}\n")
                .append("\n")
                .append("{\"subject\":\"s\",\"meter\":\"cli-sends\",\"tenant\":\"other\"}\n")
                .append("not json\n");
        final Path file = Files.writeString(dir.resolve("events.jsonl"), lines);
        try (IngestServer ingest = IngestServer.start(config.get("server"), IngestSettings.from(config))) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int exit = Main.run(List.of("send", file.toString(), "--url", "http://127.0.0.1:" + ingest.port(),
                            "--key", key, "--batch", "100", "--quiet"), Map.of(),
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            final String summary = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, summary);
            assertTrue(summary.startsWith("read 253, sent 251, accepted 250, rejected 3, failed 0,"), summary);
            assertTrue(summary.contains("       1  quantity: must be at least 0"), summary);
            assertTrue(summary.contains("       1  not sent: tenant: is not a field of a usage event"), summary);
            assertTrue(summary.contains("       1  not sent: not JSON"), summary);

            final ByteArrayOutputStream clean = new ByteArrayOutputStream();
            assertEquals(0, Main.run(List.of("send", "--url", "http://127.0.0.1:" + ingest.port(), "--key", key,
                            "--quiet"), Map.of(),
                    new ByteArrayInputStream("{\"subject\":\"s\",\"meter\":\"cli-sends\"}\n".getBytes(
                            StandardCharsets.UTF_8)), new PrintStream(clean, true, StandardCharsets.UTF_8),
                    System.err), "every line accepted: exit 0");
            assertTrue(clean.toString(StandardCharsets.UTF_8).startsWith("read 1, sent 1, accepted 1, rejected 0"));
        }
    }
}
