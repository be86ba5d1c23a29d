package org.crossl.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;

/**
 * Console progress of pretraining: a bar with ETA redrawn in place on a terminal, and one summary line
 * per epoch (always, so logs of non-interactive runs read well).
 */
final class Progress implements TrainingListener {
    private final PrintWriter out;
    private final PrintWriter bar;
    private final boolean interactive;
    private int epochs;
    private int batchesPerEpoch;
    private long start;
    private long lastDraw;
    private long epochStart;
    private int epochInProgress;
    private int firstBatch;
    private int lastBatch;

    Progress(PrintWriter out, PrintWriter bar, boolean interactive) {
        this.out = out;
        this.bar = bar;
        this.interactive = interactive;
    }

    @Override
    public void onStart(int epochs, int batches, int trainWindows, int validationWindows) {
        this.epochs = epochs;
        this.batchesPerEpoch = batches;
        this.start = System.nanoTime();
        out.printf(Locale.ROOT, "pretraining: %d training windows (%d batches/epoch), %d validation windows, up to %d epochs%n",
                trainWindows, batches, validationWindows, epochs);
        out.flush();
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss) {
        long now = System.nanoTime();
        // an engine may report several steps at once (the spark engine, once a round), and a resumed
        // epoch starts mid-way: rates count from the first report of the epoch
        if (epoch != epochInProgress) {
            epochInProgress = epoch;
            epochStart = now;
            firstBatch = batch;
            lastBatch = batch;
            return;
        }
        int previous = lastBatch;
        lastBatch = batch;
        if (!interactive) {
            // Logs of non-interactive runs get a line at every tenth of a long epoch.
            int tenth = Math.max(1, batches / 10);
            if (batches >= 50 && batch / tenth > previous / tenth && batch != batches) {
                double secs = (now - epochStart) / 1e9;
                out.printf(Locale.ROOT, "  epoch %d: %d/%d batches, %.2f batches/s, loss %.4g%n", epoch, batch, batches,
                        (batch - firstBatch) / secs, loss);
                out.flush();
            }
            return;
        }
        if (now - lastDraw < 200_000_000L && batch != batches) {
            return;
        }
        lastDraw = now;
        long done = (long) (epoch - 1) * batchesPerEpoch + batch;
        long total = (long) epochs * batchesPerEpoch;
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / done * (total - done);
        int width = 30;
        int filled = (int) Math.round(width * (double) batch / batches);
        bar.printf(Locale.ROOT, "\repoch %d/%d [%s%s] %3d%% loss %.4g  elapsed %s  ETA(max epochs) %s   ",
                epoch, epochs, "#".repeat(filled), ".".repeat(width - filled), 100 * batch / batches, loss,
                duration(elapsed), duration(eta));
        bar.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        if (interactive) {
            bar.print("\r" + " ".repeat(110) + "\r");
            bar.flush();
        }
        StringBuilder terms = new StringBuilder();
        for (Map.Entry<String, Double> e : m.trainTerms().entrySet()) {
            terms.append(String.format(Locale.ROOT, " %s %.4g", e.getKey(), e.getValue()));
        }
        out.printf(Locale.ROOT, "epoch %3d/%d  train %.4f  val %.4f (%s)  z_std %.3f (min %.3f)  %.1fs%s%n",
                m.epoch(), epochs, m.trainLoss(), m.valLoss(), terms.toString().trim(), m.zStd(), m.zStdMin(), m.seconds(),
                m.improved() ? "  *" : "");
        out.flush();
    }

    @Override
    public void onEnd(PretrainResult r) {
        out.printf(Locale.ROOT, "done in %s: %s; best epoch %d%n", duration(r.seconds()), r.stopReason(), r.bestEpoch());
        out.flush();
    }

    @Override
    public void onResume(java.util.List<org.crossl.core.train.EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
        out.printf(java.util.Locale.ROOT, "resuming from %s: epoch %d, batch %d (%d epoch%s finished before)%n", checkpoint, epoch, nextBatch + 1,
                history.size(), history.size() == 1 ? "" : "s");
        out.flush();
    }

    @Override
    public void onMessage(String message) {
        out.println(message);
        out.flush();
    }

    static String duration(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        }
        if (t >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", s);
    }
}
