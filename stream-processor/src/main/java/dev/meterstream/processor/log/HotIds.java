package dev.meterstream.processor.log;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hot dedupe tier: the ids a task saw within the hot window, in memory, so that a quick retry (most copies
 * arrive within seconds) is found without a store read. It is only ever a shortcut: every id is also in the cold
 * store, which decides whenever this does not know an id, so evicting early (the entry bound) never lets a copy
 * through. Memory is bounded by {@code maxIds} per task.
 *
 * <p>It must never know an id the stores do not: it is emptied whenever the processor is initialised, which Kafka
 * Streams does again after every restore and for a revived task (an aborted transaction's ids are forgotten with
 * the aborted state).
 */
final class HotIds {
    private final long windowMillis;
    private final int maxIds;
    /**
     * Event key (tenant/id, whole: a hash could make two events one) to first receipt time, in insertion (= receipt)
     * order, so the oldest are evicted first.
     */
    private final LinkedHashMap<String, Long> seen;

    HotIds(final long windowMillis, final int maxIds) {
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
        this.seen = new LinkedHashMap<>(Math.min(maxIds, 1 << 16), 0.75f, false);
    }

    /** Whether the id was seen within the hot window before {@code time} (false: ask the cold tier). */
    boolean seen(final String id, final long time) {
        final Long first = seen.get(id);
        return first != null && time - first <= windowMillis && first - time <= windowMillis;
    }

    /** Records a new id, and forgets those that left the window or exceed the bound. */
    void add(final String id, final long time) {
        seen.put(id, time);
        for (final Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator(); oldest.hasNext(); ) {
            final Map.Entry<String, Long> entry = oldest.next();
            if (seen.size() <= maxIds && time - entry.getValue() <= windowMillis) {
                break;
            }
            oldest.remove();
        }
    }

    void clear() {
        seen.clear();
    }

    int size() {
        return seen.size();
    }
}
