package org.crossl.nn.profile;

/**
 * The profiler in use, process-wide: none by default, where a section costs one volatile read.
 * {@code crossl bench --profile} installs a {@link SectionTimes} for its timed steps.
 */
public final class Profiling {
    private static final Profiler OFF = new Profiler() {
        @Override
        public long mark() {
            return 0;
        }

        @Override
        public void record(String section, long mark) {
        }
    };
    private static volatile Profiler current = OFF;

    private Profiling() {
    }

    /** Measures with {@code profiler} from now on; null switches measuring off. */
    public static void install(Profiler profiler) {
        current = profiler == null ? OFF : profiler;
    }

    /** True while a profiler is installed. */
    public static boolean enabled() {
        return current != OFF;
    }

    /** The start of a section. */
    public static long start() {
        return current.mark();
    }

    /** The end of {@code section}, started at {@code mark}. */
    public static void stop(String section, long mark) {
        current.record(section, mark);
    }
}
