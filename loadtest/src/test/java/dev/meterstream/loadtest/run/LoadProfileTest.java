package dev.meterstream.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadProfileTest {
    @Test
    void shouldRampFromThePreviousTargetAsK6StagesDo() {
        final LoadProfile profile = LoadProfile.parse(List.of("--stages", "30s:5000,3m:17000,30s:0"));

        assertEquals(Duration.ofSeconds(240), profile.length());
        assertEquals(2500, profile.rateAt(Duration.ofSeconds(15)), 1e-9);
        assertEquals(5000 + 12000 * 90 / 180.0, profile.rateAt(Duration.ofSeconds(120)), 1e-9);
        assertEquals(8500, profile.rateAt(Duration.ofSeconds(225)), 1e-9);
        assertEquals(0, profile.rateAt(Duration.ofSeconds(240)), 1e-9);
        assertEquals(2500 * 30 + 11000 * 180 + 8500 * 30, profile.requests(), 1e-9);
        assertEquals("30:5000.0,180:17000.0,30:0.0", profile.generatorStages());
        assertEquals(Duration.ofSeconds(90), profile.killAt());
    }

    @Test
    void shouldDefaultToTheGoalOnThreeBrokers() {
        final LoadProfile profile = LoadProfile.parse(List.of());

        assertEquals("30s:16667,180s:16667,30s:0", profile.describeStages());
        assertEquals(3, profile.brokers());
        assertEquals(1, profile.batch());
        assertEquals(0.05, profile.duplicates());
        assertTrue(profile.aotCache(), "JVMs start from trained caches unless told not to");
    }

    @Test
    void shouldRejectWhatItCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--stages", "30x:10")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--stages", "30s")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--aot-cache", "yes")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--stages", "30s:-1")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--brokers", "2")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--brokers", "1",
                "--kill-broker")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--batch", "1001")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--duplicates", "1")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--nonsense", "1")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--define-only", "sums")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--instances", "4")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--kill-instances")),
                "one instance: nothing would be left");
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--instances", "2",
                "--kill-instances", "--kill-broker")));
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse(List.of("--retries", "2",
                "--generator", "gatling")));
    }

    @Test
    void shouldRetryAsAProducerWhenInstancesAreKilled() {
        assertEquals(0, LoadProfile.parse(List.of("--instances", "2")).retries(),
                "a run without the fault counts every failed request against its verdict");
        final LoadProfile fault = LoadProfile.parse(List.of("--instances", "2", "--kill-instances",
                "--stages", "20s:300,3m:300,20s:0"));
        assertEquals(3, fault.retries(), "a request in flight at the killed edge has no answer: its producer retries");
        assertEquals(Duration.ofSeconds(80), fault.killAt());
        assertTrue(fault.describe().contains("2 instances of ingest-api (behind HAProxy) and of stream-processor, "
                + "one of each killed at 80 s and left down, failed requests sent again up to 3 times"),
                fault.describe());
        assertEquals(0, LoadProfile.parse(List.of("--instances", "2", "--kill-instances", "--retries", "0"))
                .retries());
    }

    @Test
    void shouldDefineAllThreeMetersOrSomeOfThem() {
        assertEquals(Set.of(), LoadProfile.parse(List.of()).definedMeters());
        final LoadProfile all = LoadProfile.parse(List.of("--define-meters"));
        assertEquals(List.of("tokens", "users", "latest"), List.copyOf(all.definedMeters()));
        assertTrue(all.properties(), "defined meters read the events' properties");
        final LoadProfile some = LoadProfile.parse(List.of("--define-only", "latest,users"));
        assertEquals(List.of("latest", "users"), List.copyOf(some.definedMeters()));
        assertTrue(some.properties());
        assertTrue(some.describe().endsWith("2 meters defined per event type (latest, users)"), some.describe());
    }
}
