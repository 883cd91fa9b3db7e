package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meterstream.loadtest.open.IngestLoad;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressLineTest {
    @Test
    void shouldAverageTheSecondsNotShownYetAndLeaveAHalfWrittenLine(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("progress.csv");
        Files.writeString(file, IngestLoad.PROGRESS_HEADER + "\n"
                + "100,900,880,880,120,100\n"
                + "101,1000,1000,1000,250,0\n"
                + "102,99"); // the generator is still appending this one
        final PipelineSampler sampler = new PipelineSampler(List.of(), null, "ks", Map.of());
        try (ProgressLine progress = ProgressLine.start(new PrintStream(new ByteArrayOutputStream()), file, sampler,
                Instant.now())) {
            final String first = progress.line();
            assertTrue(first.contains("offered 1,000/s  answered 940/s  p99 250 ms"), first);

            // The half-written line completed: second 102, 999 started, 500 answered, p99 80 ms, 5 dropped.
            Files.writeString(file, "9,500,500,80,5\n", java.nio.file.StandardOpenOption.APPEND);
            final String next = progress.line();
            assertTrue(next.contains("offered 1,004/s  answered 500/s  p99 80 ms"),
                    "only the seconds not shown yet: " + next);
        }
    }
}
