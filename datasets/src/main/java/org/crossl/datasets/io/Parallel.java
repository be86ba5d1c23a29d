package org.crossl.datasets.io;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.crossl.api.data.DataFormatException;

/** Reads many files on a few threads (decompression and parsing dominate a load). */
public final class Parallel {

    private Parallel() {
    }

    /**
     * {@code fn} applied to every item on up to 4 threads; the results keep the items' order. The
     * first failure is rethrown as it was thrown (a {@link DataFormatException} keeps its message).
     */
    public static <T, R> List<R> map(List<T> items, Function<T, R> fn, String threadName) {
        int threads = Math.max(1, Math.min(Math.min(4, Runtime.getRuntime().availableProcessors()), items.size()));
        if (threads == 1) {
            return items.stream().map(fn).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> fn.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new DataFormatException("reading failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataFormatException("interrupted while reading", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
