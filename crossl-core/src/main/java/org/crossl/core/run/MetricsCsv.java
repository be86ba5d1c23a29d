package org.crossl.core.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.TrainingListener;

/**
 * Writes {@code metrics.csv}, one row per epoch, flushed as each epoch ends so an interrupted run
 * keeps every finished epoch. Columns: {@code epoch, train_loss, val_loss}, the objective's terms on
 * the training batches (e.g. {@code invariance, variance, covariance}), the same on validation
 * prefixed {@code val_}, {@code z_std} (mean per-dimension std of Z), {@code z_std_min},
 * {@code seconds}, {@code improved}.
 */
public final class MetricsCsv implements TrainingListener, AutoCloseable {
    private final BufferedWriter out;
    private final List<String> terms;

    public MetricsCsv(Path file, List<String> terms) throws IOException {
        this.terms = List.copyOf(terms);
        this.out = Files.newBufferedWriter(file);
        List<String> cols = new ArrayList<>(List.of("epoch", "train_loss", "val_loss"));
        cols.addAll(terms);
        for (String t : terms) {
            cols.add("val_" + t);
        }
        cols.addAll(List.of("z_std", "z_std_min", "seconds", "improved"));
        out.write(String.join(",", cols));
        out.newLine();
        out.flush();
    }

    @Override
    public void onEpoch(EpochMetrics m) {
        List<String> row = new ArrayList<>();
        row.add(Integer.toString(m.epoch()));
        row.add(num(m.trainLoss()));
        row.add(num(m.valLoss()));
        for (String t : terms) {
            row.add(num(m.trainTerms().getOrDefault(t, Double.NaN)));
        }
        for (String t : terms) {
            row.add(num(m.valTerms().getOrDefault(t, Double.NaN)));
        }
        row.add(num(m.zStd()));
        row.add(num(m.zStdMin()));
        row.add(String.format(Locale.ROOT, "%.3f", m.seconds()));
        row.add(Boolean.toString(m.improved()));
        try {
            out.write(String.join(",", row));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.csv", e);
        }
    }

    /** A resumed run's metrics.csv starts over with the epochs finished before the checkpoint. */
    @Override
    public void onResume(List<EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
        history.forEach(this::onEpoch);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
