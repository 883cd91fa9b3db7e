package dev.meterstream.meter;

/**
 * Which events of a shard a state folds. A meter version is counted live from its boundary on (the first event the
 * shard's task met with the version in force) and backfilled below it, so the two never hold the same event.
 */
public enum MeterSource {
    LIVE,
    BACKFILL
}
