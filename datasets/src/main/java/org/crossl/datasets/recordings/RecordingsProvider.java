package org.crossl.datasets.recordings;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.Datasets;
import org.crossl.datasets.split.SubjectSplit;
import org.crossl.datasets.window.LabelPolicy;

/**
 * {@code type: recordings}: generic per-recording CSV folders. Under {@code path}, one folder per
 * recording (subject and session from the folder path by {@code layout}, or listed in
 * {@code recordings}); in each folder one CSV per modality ({@code .gz} read transparently), first
 * line a header naming the columns.
 *
 * <p><b>Time.</b> A modality either declares its rate (sample i at {@code i / rate} seconds from
 * the recording's start) or has a timestamp column. Then a step longer than {@code maxGapFactor}
 * times the median step (over all recordings) is a gap, and the rate is 1 / the mean of the other
 * steps, to 6 significant digits (the mean, unlike the median, is not biased by timestamps rounded
 * to the clock's resolution, e.g. 33/34 ms steps at 30 Hz). With timestamps, the recording's start (time 0) is its earliest first timestamp; declared
 * modalities start there too.
 *
 * <p><b>Windows</b> have equal duration: window k starts at {@code k · strideSeconds} and modality
 * m holds {@code T_m = round(windowSeconds · rate_m)} samples of it, starting at
 * {@code round(start · rate_m)} (declared rate) or at the first sample at or after
 * {@code start − period/2} (timestamps; that sample must lie within one period of the start). A
 * window exists only while every modality whose file the recording has covers it, and never spans
 * a gap. A modality without a file in a recording is absent (presence 0, zeros) in all its
 * windows; a non-finite value makes its modality absent in the windows holding the sample
 * ({@code nonFinite: absent}).
 *
 * <p><b>Labels</b> come from segment files or a per-sample column. A window's label is the
 * {@link LabelPolicy} applied to the label timeline sampled at the fastest modality's rate R: label
 * sample i of a window starting at s is the label at time {@code s + (i + 0.5) / R}, for
 * {@code round(windowSeconds · R)} samples. Splits are by subject ({@link SubjectSplit}).
 */
public final class RecordingsProvider implements DatasetProvider<RecordingsConfig> {

    private static final String HOW_TO_GET = "Put one folder per recording there (e.g. <subject>/<session>/acc.csv), "
            + "or fix data.path.";

    @Override
    public String name() {
        return "recordings";
    }

    @Override
    public Class<RecordingsConfig> configType() {
        return RecordingsConfig.class;
    }

    @Override
    public Path source(RecordingsConfig config, Path dataRoot) {
        return dataRoot.resolve(config.path());
    }

    @Override
    public String description() {
        return "generic recordings: one folder per recording (subject/session from the path or listed), one CSV per modality "
                + "(plain or .gz), declared rates or timestamps, windows of equal duration, labels from segment files or a column, "
                + "split by subject";
    }

    @Override
    public DataSplits load(RecordingsConfig config, Path dataRoot, long seed) {
        long t0 = System.nanoTime();
        Path root = dataRoot.resolve(config.path());
        if (!Files.isDirectory(root)) {
            throw Datasets.notFound("recordings folder", root, dataRoot, HOW_TO_GET);
        }
        RecordingsLoad load = new RecordingsLoad(config, root);
        load.findRecordings();
        load.groupFiles();
        load.locateFiles();
        load.resolveChannels();
        load.readFiles();
        load.resolveRates();
        load.resolveClasses();
        load.cutWindows();
        load.splitSubjects(seed);
        WindowDataset[] sets = load.build();
        return new DataSplits(sets[0], sets[1], sets[2], load.describe(name(), sets, t0));
    }
}
