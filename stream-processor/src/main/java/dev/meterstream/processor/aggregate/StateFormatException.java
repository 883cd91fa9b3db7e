package dev.meterstream.processor.aggregate;

/**
 * A store, changelog or repartition record in a format this version does not write: state left by another version
 * of stream-processor. Not a bad event, so it is never dead-lettered (that would drop a count silently): the
 * stream thread fails, and the process stops (exit status 70) until the state is reset (docs/operations.md).
 */
public final class StateFormatException extends IllegalStateException {
    StateFormatException(final String what, final int version, final int expected) {
        super(what + " in format version " + version + ", not " + expected + " (the only one this version reads): "
                + "state written by another version of stream-processor; reset the processor's state "
                + "(docs/operations.md, \"Resetting the processor\")");
    }
}
