package org.crossl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Splits the rows of a Java-side kernel over a few threads: as many as ND4J itself uses
 * ({@code Nd4j.getEnvironment().maxThreads()}, which follows {@code OMP_NUM_THREADS} and the
 * cores), so the Java kernels and ND4J's native ops, which never run at the same time, never
 * oversubscribe the machine. Small jobs run on the calling thread.
 */
final class RowParallel {
    /** Below this many elements a kernel is not worth a thread hand-off. */
    private static final long MIN_PARALLEL_ELEMENTS = 1 << 15;

    private static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Nd4j.getEnvironment().maxThreads()));
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "crossl-rows");
        t.setDaemon(true);
        return t;
    });

    /** Work on rows {@code [from, to)}; {@code part} is 0 … parts−1, for per-thread accumulators. */
    interface Body {
        void run(int from, int to, int part);
    }

    private RowParallel() {
    }

    /** How many parts {@link #run} splits {@code rows} rows of {@code width} elements into. */
    static int parts(int rows, int width) {
        return (long) rows * width < MIN_PARALLEL_ELEMENTS ? 1 : Math.min(THREADS, Math.max(1, rows));
    }

    /** Runs {@code body} over {@code [0, rows)} in {@link #parts} contiguous parts; the caller's thread takes the first. */
    static void run(int rows, int width, Body body) {
        int parts = parts(rows, width);
        if (parts == 1) {
            body.run(0, rows, 0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            int part = p;
            futures.add(POOL.submit(() -> body.run(from, to, part)));
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) rows / parts), 0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // wait for every part even after a failure: none may still write into arrays the caller frees
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
