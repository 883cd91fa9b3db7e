package dev.meterstream.support.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentlyUsedTest {
    @Test
    void shouldDropTheLeastRecentlyUsedEntryPastTheBound() {
        final Map<String, Integer> map = new RecentlyUsed<>(2);
        map.put("a", 1);
        map.put("b", 2);
        assertEquals(1, map.get("a"));
        map.put("c", 3);
        assertEquals(List.of("a", "c"), List.copyOf(map.keySet()));
    }

    @Test
    void shouldCountAPutOfAKnownKeyAsAUse() {
        final Map<String, Integer> map = new RecentlyUsed<>(2);
        map.put("a", 1);
        map.put("b", 2);
        map.put("a", 10);
        map.put("c", 3);
        assertEquals(Map.of("a", 10, "c", 3), map);
    }

    @Test
    void shouldKeepNothingWithABoundOfZero() {
        final Map<String, Integer> map = new RecentlyUsed<>(0);
        map.put("a", 1);
        assertTrue(map.isEmpty());
    }

    @Test
    void shouldRefuseANegativeBound() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new RecentlyUsed<>(-1));
        assertEquals("a bound of 0 entries or more is needed, was -1", refused.getMessage());
    }
}
