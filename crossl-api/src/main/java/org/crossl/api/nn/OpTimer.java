package org.crossl.api.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time spent in named sections of the forward and backward passes, for {@code crossl bench
 * --profile}. Off unless the system property {@code crossl.profile} is {@code true}; when off a
 * section costs one static boolean test.
 */
public final class OpTimer {
    /** True when {@code -Dcrossl.profile=true}. */
    public static final boolean ENABLED = Boolean.getBoolean("crossl.profile");

    private static final Map<String, LongAdder> NANOS = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

    private OpTimer() {
    }

    /** {@link System#nanoTime()} when enabled, else 0. */
    public static long start() {
        return ENABLED ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} to {@code section}. */
    public static void stop(String section, long start) {
        if (ENABLED) {
            NANOS.computeIfAbsent(section, k -> new LongAdder()).add(System.nanoTime() - start);
            CALLS.computeIfAbsent(section, k -> new LongAdder()).increment();
        }
    }

    /** Forgets everything measured so far (after a warm-up). */
    public static void reset() {
        NANOS.clear();
        CALLS.clear();
    }

    /** Seconds per section, largest first. */
    public static Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        NANOS.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum() / 1e9));
        return out;
    }

    /** Calls per section. */
    public static long calls(String section) {
        LongAdder a = CALLS.get(section);
        return a == null ? 0 : a.sum();
    }
}
