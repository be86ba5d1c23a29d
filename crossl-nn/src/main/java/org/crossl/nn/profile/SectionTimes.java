package org.crossl.nn.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A {@link Profiler} that adds up wall time and calls per section, from any thread. */
public final class SectionTimes implements Profiler {
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public long mark() {
        return System.nanoTime();
    }

    @Override
    public void record(String section, long mark) {
        nanos.computeIfAbsent(section, k -> new LongAdder()).add(System.nanoTime() - mark);
        calls.computeIfAbsent(section, k -> new LongAdder()).increment();
    }

    /** Forgets everything measured so far (after a warm-up). */
    public void reset() {
        nanos.clear();
        calls.clear();
    }

    /** Seconds per section, largest first. */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum() / 1e9));
        return out;
    }

    /** Calls per section. */
    public long calls(String section) {
        LongAdder a = calls.get(section);
        return a == null ? 0 : a.sum();
    }
}
