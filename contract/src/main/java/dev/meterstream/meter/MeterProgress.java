package dev.meterstream.meter;

/**
 * How far the backfill of a meter version has folded one shard: every event with a sequence below
 * {@code through} is in its states, and it is done with the shard when {@code through} reaches the boundary.
 */
public record MeterProgress(long through, long boundary) {
    public MeterProgress {
        if (through < 0 || boundary < 0 || through > boundary) {
            throw new IllegalArgumentException("progress needs 0 <= through <= boundary, was " + through + ", "
                    + boundary);
        }
    }

    public boolean done() {
        return through == boundary;
    }
}
