package dev.meterstream.processor.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The hot tier knows recent keys only, within its window and its bound: its memory never grows past the bound. */
class HotIdsTest {
    @Test
    void shouldKnowAKeyWithinTheWindowOnly() {
        final HotIds hot = new HotIds(1_000, 10);
        hot.add("acme/a", 10_000);
        assertTrue(hot.seen("acme/a", 10_500));
        assertTrue(hot.seen("acme/a", 9_500), "a copy stamped a little earlier (another edge's clock)");
        assertFalse(hot.seen("acme/a", 11_001));
        assertFalse(hot.seen("acme/b", 10_500));
    }

    @Test
    void shouldForgetTheOldestBeyondItsBoundAndThoseThatLeftTheWindow() {
        final HotIds hot = new HotIds(1_000, 3);
        for (int i = 0; i < 5; i++) {
            hot.add("acme/" + i, 10_000 + i);
        }
        assertEquals(3, hot.size());
        assertFalse(hot.seen("acme/0", 10_005));
        assertTrue(hot.seen("acme/4", 10_005));
        hot.add("acme/late", 20_000);
        assertEquals(1, hot.size(), "every earlier key left the window");
        hot.clear();
        assertFalse(hot.seen("acme/late", 20_000));
    }
}
