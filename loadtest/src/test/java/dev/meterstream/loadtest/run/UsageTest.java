package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {
    @Test
    void shouldSumCpuAndCompilersOverTheWindowOnly() {
        final Instant started = Instant.ofEpochSecond(1_000);
        final List<PipelineSampler.Sample> samples = List.of(
                sample(started, 1.0, 0.5),
                sample(started.plusSeconds(1), 1.0, 0.5),   // its interval ends at the window's start: outside
                sample(started.plusSeconds(2), 1.5, 0.25),
                sample(started.plusSeconds(3), 0.5, 0.0),
                sample(started.plusSeconds(4), 9.0, 9.0));  // after the window
        final List<LoadReport.Second> seconds = List.of(second(1_000, 10), second(1_001, 100), second(1_002, 200),
                second(1_003, 400));
        final Usage.Window window = new Usage(started, samples, seconds).over(Duration.ofSeconds(1),
                Duration.ofSeconds(3));
        assertEquals(2.0, window.cpuSeconds().get("processor"), 1e-9);
        assertEquals(0.25, window.compilerSeconds().get("processor"), 1e-9);
        assertEquals(300, window.events());
    }

    private static PipelineSampler.Sample sample(final Instant at, final double cores, final double compilerCores) {
        return new PipelineSampler.Sample(at, 0, 0, 0, Map.of("processor", cores), Map.of("processor", compilerCores));
    }

    private static LoadReport.Second second(final long epochSecond, final long events) {
        return new LoadReport.Second(epochSecond, events, events, events, events, Map.of("202", events), 1, 1, 1, 1, 1,
                0);
    }
}
