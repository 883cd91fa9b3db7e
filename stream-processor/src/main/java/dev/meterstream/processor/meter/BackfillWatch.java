package dev.meterstream.processor.meter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a running backfill's tasks have folded, shard by shard, for the thread that decides when to stop it: a
 * shard is done when its task has folded every event below the boundary. (What the views show is the progress
 * records; this only says when closing the application, which commits, finishes the job.)
 */
public final class BackfillWatch {
    private final Map<Integer, Boolean> done = new ConcurrentHashMap<>();

    void report(final int shard, final boolean shardDone) {
        done.put(shard, shardDone);
    }

    /** Whether this instance's task of {@code shard} has folded all of it. */
    public boolean done(final int shard) {
        return done.getOrDefault(shard, false);
    }
}
