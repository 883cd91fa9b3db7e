package dev.meterstream.processor.aggregate;

/** A store that runs a hook just before each commit: {@link CommitHookStore}, {@link CommitHookWindowStore}. */
interface CommitHooked {
    /** Replaces the hook set before. */
    void hook(Runnable hook);
}
