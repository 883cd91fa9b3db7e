package dev.meterstream.cli;

/** The command line is wrong: said, with the usage, and exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(final String message) {
        super(message);
    }
}
