package org.crossl.core.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes this process's memory every {@code every} training steps to a CSV
 * ({@code step,epoch,batch,rss_mb,peak_rss_mb,heap_used_mb,heap_committed_mb}), so a long run shows whether memory
 * stays flat after warm-up. A resumed run appends.
 */
public final class MemoryLog implements TrainingListener, AutoCloseable {
    public static final String HEADER = "step,epoch,batch,rss_mb,peak_rss_mb,heap_used_mb,heap_committed_mb";
    private final BufferedWriter out;
    private final int every;
    private int batches;
    private long step;

    public MemoryLog(Path file, int every) throws IOException {
        if (every < 1) {
            throw new IllegalArgumentException("memory is logged every N ≥ 1 steps, got " + every);
        }
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        this.out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.every = every;
        if (fresh) {
            out.write(HEADER);
            out.newLine();
            out.flush();
        }
    }

    @Override
    public void onStart(int epochs, int batchesPerEpoch, int trainWindows, int validationWindows) {
        batches = batchesPerEpoch;
    }

    @Override
    public void onResume(List<EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
        step = (long) (epoch - 1) * batches + nextBatch;
    }

    @Override
    public void onBatch(int epoch, int batch, int batchesPerEpoch, double loss) {
        step++;
        if (step % every == 0 || step == 1) {
            MemoryUse m = MemoryUse.now();
            try {
                out.write(step + "," + epoch + "," + batch + "," + m.rssMb() + "," + m.peakRssMb() + "," + m.heapUsedMb() + "," + m.heapCommittedMb());
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the memory log: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
