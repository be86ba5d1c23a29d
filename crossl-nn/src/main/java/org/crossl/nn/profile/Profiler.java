package org.crossl.nn.profile;

/**
 * Where the time of named sections of the forward and backward passes goes ({@code crossl bench
 * --profile}). Layers and the model mark sections through {@link Profiling}; nothing is measured
 * unless a profiler is {@linkplain Profiling#install installed}.
 */
public interface Profiler {
    /** A mark to pass to {@link #record} when the section ends. */
    long mark();

    /** Adds the time since {@code mark} to {@code section}. */
    void record(String section, long mark);
}
