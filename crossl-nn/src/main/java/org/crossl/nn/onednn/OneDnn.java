package org.crossl.nn.onednn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.Locale;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.Loader;

/**
 * oneDNN 3 (JavaCPP's {@code org.bytedeco:dnnl} presets), loaded beside the oneDNN 2.3 that
 * libnd4j bundles: libnd4j exports no {@code dnnl_*} symbols, so the two never clash, and both run
 * on one OpenMP pool. One CPU engine per process; one in-order stream and one scratchpad per
 * thread that runs primitives.
 *
 * <p>Primitives may run on any thread, not only the one that created them (a Spark executor's
 * task threads, a server's pool): oneDNN's default "library" scratchpad is a thread-local buffer
 * sized when a primitive is created, and running the primitive on another thread read a scratchpad
 * that thread never allocated (a crash in {@code im2col}, seen under Spark). So every primitive is
 * created with a user-managed scratchpad, and each call passes the calling thread's buffer,
 * grown to the largest size asked for on that thread (the same memory as the library mode).
 *
 * <p>Which convolution path runs is the system property {@code crossl.convolution} (or the
 * environment variable {@code CROSSL_CONVOLUTION}): {@code auto} (default: oneDNN 3 when its natives
 * load, else libnd4j's {@code conv1d}), {@code onednn} (fail when it cannot load) or {@code libnd4j}.
 */
public final class OneDnn {
    /** The setting's values. */
    public enum Choice {
        AUTO, ONEDNN, LIBND4J
    }

    private static final System.Logger LOG = System.getLogger(OneDnn.class.getName());
    private static final Object LOCK = new Object();
    private static volatile State state;

    private record State(dnnl_engine engine, dnnl_primitive_attr deterministic, String version, String failure) {
    }

    private OneDnn() {
    }

    /** The configured choice; an unknown value is an error naming the property. */
    public static Choice choice() {
        String v = System.getProperty("crossl.convolution");
        String source = "system property crossl.convolution";
        if (v == null || v.isBlank()) {
            v = System.getenv("CROSSL_CONVOLUTION");
            source = "environment variable CROSSL_CONVOLUTION";
        }
        if (v == null || v.isBlank()) {
            return Choice.AUTO;
        }
        try {
            return Choice.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is '" + v + "'; use auto, onednn or libnd4j");
        }
    }

    /** True when convolutions run on oneDNN 3 (the choice allows it and the natives loaded). */
    public static boolean enabled() {
        Choice c = choice();
        if (c == Choice.LIBND4J) {
            return false;
        }
        State s = state();
        if (s.failure != null && c == Choice.ONEDNN) {
            throw new IllegalStateException("crossl.convolution=onednn, but oneDNN 3 could not load: " + s.failure
                    + " (set crossl.convolution=libnd4j or auto to use libnd4j's convolutions)");
        }
        return s.failure == null;
    }

    /** "oneDNN 3.11.0", or why it is not used: for run records and bench output. */
    public static String describe() {
        Choice c = choice();
        if (c == Choice.LIBND4J) {
            return "libnd4j conv1d (crossl.convolution=libnd4j)";
        }
        State s = state();
        return s.failure == null ? "oneDNN " + s.version + " (direct, channels-last)" : "libnd4j conv1d (oneDNN 3 unavailable: " + s.failure + ")";
    }

    static dnnl_engine engine() {
        return state().engine;
    }

    /** Attributes asking for run-to-run identical results (no atomics in reductions). */
    static dnnl_primitive_attr deterministic() {
        return state().deterministic;
    }

    private static final ThreadLocal<dnnl_stream> STREAMS = ThreadLocal.withInitial(() -> {
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, engine(), dnnl_stream_default_flags), "creating a stream");
        return stream;
    });

    private static final ThreadLocal<org.bytedeco.javacpp.BytePointer[]> SCRATCH = ThreadLocal.withInitial(() -> new org.bytedeco.javacpp.BytePointer[1]);

    /** This thread's in-order stream. */
    static dnnl_stream stream() {
        state();
        return STREAMS.get();
    }

    /** This thread's scratchpad, at least {@code bytes} long (valid until this thread asks for a larger one). */
    static org.bytedeco.javacpp.Pointer scratchpad(long bytes) {
        org.bytedeco.javacpp.BytePointer[] holder = SCRATCH.get();
        if (holder[0] == null || holder[0].capacity() < bytes) {
            if (holder[0] != null) {
                holder[0].close();
            }
            holder[0] = new org.bytedeco.javacpp.BytePointer(Math.max(bytes, 1));
        }
        return holder[0];
    }

    private static State state() {
        State s = state;
        if (s == null) {
            synchronized (LOCK) {
                s = state;
                if (s == null) {
                    s = load();
                    state = s;
                }
            }
        }
        return s;
    }

    private static State load() {
        try {
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            dnnl_engine engine = new dnnl_engine();
            check(dnnl_engine_create(engine, dnnl_cpu, 0), "creating the CPU engine");
            // same inputs, same bits: a resumed run must end where an uninterrupted one does
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "creating primitive attributes");
            check(dnnl_primitive_attr_set_deterministic(attr, 1), "asking for deterministic primitives");
            check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "asking for a user-managed scratchpad");
            dnnl_version_t v = dnnl_version();
            return new State(engine, attr, v.major() + "." + v.minor() + "." + v.patch(), null);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, a failed engine: fall back
            String why = t.getClass().getSimpleName() + ": " + t.getMessage();
            LOG.log(System.Logger.Level.WARNING, "oneDNN 3 could not load; convolutions use libnd4j's conv1d ({0})", why);
            return new State(null, null, null, why);
        }
    }

    /** Throws with oneDNN's status name when {@code status} is not success. */
    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN 3 failed " + what + ": " + statusName(status));
        }
    }

    private static String statusName(int status) {
        if (status == dnnl_out_of_memory) {
            return "out of memory";
        }
        if (status == dnnl_invalid_arguments) {
            return "invalid arguments";
        }
        if (status == dnnl_unimplemented) {
            return "unimplemented (no kernel for these shapes on this CPU)";
        }
        if (status == dnnl_runtime_error) {
            return "runtime error";
        }
        return "status " + status;
    }
}
