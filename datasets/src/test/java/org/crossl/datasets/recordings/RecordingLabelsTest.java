package org.crossl.datasets.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crossl.datasets.recordings.CsvFolders.config;
import static org.crossl.datasets.recordings.CsvFolders.csv;
import static org.crossl.datasets.recordings.CsvFolders.ramp;
import static org.crossl.datasets.recordings.CsvFolders.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window labels from segment files and per-sample columns under the uniform, majority and center
 * policies. Every case is 10 s with walk on [0, 3), run on [3, 6.5), nothing on [6.5, 7) and sit
 * on [7, 10); 2 s windows every 1 s start at 0 … 8 s. Classes sort to run 0, sit 1, walk 2.
 */
class RecordingLabelsTest {

    static final String SEGMENTS = "start,end,label\n7,10,sit\n0,3,walk\n3,6.5,run\n";

    static final List<RecordingsConfig.Modality> ACC = List.of(RecordingsConfig.declared("acc", 10));

    static RecordingsConfig.Labels file(String policy, Double minFraction, List<String> classes, String unknown) {
        return new RecordingsConfig.Labels("labels.csv", null, null, classes, unknown, policy, minFraction, null);
    }

    static int[] labels(Path root, RecordingsConfig.Labels labels) {
        return new RecordingsProvider().load(config(ACC, labels, 2.0, 1.0, null), root, 0).train().labels();
    }

    @Test
    void segmentFileUnderEachPolicy(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rec/1/a");
        write(dir.resolve("acc.csv"), ramp(100));
        write(dir.resolve("labels.csv"), SEGMENTS);
        DataSplits s = new RecordingsProvider().load(config(ACC, file(null, null, null, null), 2.0, 1.0, null), root, 0);
        assertThat(s.train().classNames()).containsExactly("run", "sit", "walk");
        // uniform: windows touching two labels or the unlabelled half second are unlabelled
        assertThat(s.train().labels()).containsExactly(2, 2, -1, 0, 0, -1, -1, 1, 1);
        assertThat(s.description()).containsEntry("labelPolicy", "uniform").containsEntry("classNames", List.of("run", "sit", "walk"))
                .containsEntry("labelledWindows", Map.of("train", 6, "validation", 0, "test", 0))
                .containsEntry("labelTimelineRateHz", 10.0).containsEntry("labelSamplesPerWindow", 20)
                .containsEntry("recordingsWithoutLabels", 0);
        // majority 0.5: [2, 4) is 10 walk + 10 run, a tie going to the smaller id (run); [5, 7) is 15 run; [6, 8) is 10 sit
        assertThat(labels(root, file("majority", null, null, null))).containsExactly(2, 2, 0, 0, 0, 0, 1, 1, 1);
        assertThat(labels(root, file("majority", 0.6, null, null))).containsExactly(2, 2, -1, 0, 0, 0, -1, 1, 1);
        // center: the label at start + 1.05 s
        assertThat(labels(root, file("center", null, null, null))).containsExactly(2, 2, 0, 0, 0, 0, 1, 1, 1);
        // configured classes fix the indices
        assertThat(labels(root, file(null, null, List.of("sit", "walk", "run"), null))).containsExactly(1, 1, -1, 2, 2, -1, -1, 0, 0);
    }

    @Test
    void unknownLabelsCanBeLeftUnlabelledAndMissingFilesAreCounted(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rec/1/a");
        write(dir.resolve("acc.csv"), ramp(100));
        write(dir.resolve("labels.csv"), SEGMENTS.replace("7,10,sit", "7,10,jump") + "6.5,7,\n");
        write(root.resolve("rec/1/b/acc.csv"), ramp(30)); // no labels.csv: two unlabelled windows
        RecordingsConfig c = config(ACC, file(null, null, List.of("walk", "run"), "unlabelled"), 2.0, 1.0, null);
        DataSplits s = new RecordingsProvider().load(c, root, 0);
        assertThat(s.train().labels()).containsExactly(0, 0, -1, 1, 1, -1, -1, -1, -1, -1, -1);
        assertThat(s.description()).containsEntry("unknownLabels", "unlabelled").containsEntry("unknownLabelsMadeUnlabelled", 1)
                .containsEntry("recordingsWithoutLabels", 1);
    }

    @Test
    void segmentTimesFollowTheTimestampClock(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rec/1/a");
        write(dir.resolve("acc.csv"), csv("t,x", 100, i -> (500_000 + 100 * i) + "," + i));
        write(dir.resolve("labels.csv"), "label,start,end\nsit,507000,510000\nwalk,500000,503000\nrun,503000,506500\n");
        List<RecordingsConfig.Modality> mods = List.of(RecordingsConfig.timestamped("acc", "t", "ms"));
        DataSplits s = new RecordingsProvider().load(config(mods, file(null, null, null, null), 2.0, 1.0, null), root, 0);
        assertThat(s.train().labels()).containsExactly(2, 2, -1, 0, 0, -1, -1, 1, 1);
        assertThat((String) s.description().get("labels")).contains("ms").contains("timestamp clock");
        // the same file in seconds
        write(dir.resolve("labels.csv"), "start,end,label\n507,510,sit\n500,503,walk\n503,506.5,run\n");
        RecordingsConfig.Labels inSeconds = new RecordingsConfig.Labels("labels.csv", null, null, null, null, null, null, "s");
        assertThat(new RecordingsProvider().load(config(mods, inSeconds, 2.0, 1.0, null), root, 0).train().labels())
                .containsExactly(2, 2, -1, 0, 0, -1, -1, 1, 1);
    }

    @Test
    void labelColumnIsSampledAtTheFastestRate(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rec/1/a");
        write(dir.resolve("acc.csv"), csv("x,activity", 100, i -> i + "," + (i < 30 ? "walk" : i < 65 ? "run" : i < 70 ? "" : "sit")));
        write(dir.resolve("ecg.csv"), ramp(200));
        List<RecordingsConfig.Modality> mods = List.of(RecordingsConfig.declared("acc", 10), RecordingsConfig.declared("ecg", 20));
        RecordingsConfig.Labels column = RecordingsConfig.labelColumn("activity", "acc");
        DataSplits s = new RecordingsProvider().load(config(mods, column, 2.0, 1.0, null), root, 0);
        assertThat(s.train().modalities().get(0).channelNames()).containsExactly("x");
        assertThat(s.train().classNames()).containsExactly("run", "sit", "walk");
        assertThat(s.train().labels()).containsExactly(2, 2, -1, 0, 0, -1, -1, 1, 1);
        assertThat(s.description()).containsEntry("labelTimelineRateHz", 20.0).containsEntry("labelSamplesPerWindow", 40);
        RecordingsConfig.Labels majority = new RecordingsConfig.Labels(null, "activity", "acc", null, null, "majority", null, null);
        assertThat(new RecordingsProvider().load(config(mods, majority, 2.0, 1.0, null), root, 0).train().labels())
                .containsExactly(2, 2, 0, 0, 0, 0, 1, 1, 1);
    }

    @Test
    void numericLabelsSortByValueAndSpanRecordings(@TempDir Path root) throws Exception {
        write(root.resolve("rec/1/a/acc.csv"), csv("x,act", 20, i -> i + ",10"));
        write(root.resolve("rec/2/a/acc.csv"), csv("x,act", 20, i -> i + ",2"));
        write(root.resolve("rec/3/a/acc.csv"), csv("x,act", 20, i -> i + ",1"));
        SplitConfig split = SplitConfig.explicit(List.of(1, 2), List.of(), List.of(3));
        DataSplits s = new RecordingsProvider().load(config(ACC, RecordingsConfig.labelColumn("act", "acc"), 2.0, 1.0, split), root, 0);
        assertThat(s.train().classNames()).containsExactly("1", "2", "10");
        assertThat(s.train().labels()).containsExactly(2, 1);
        assertThat(s.test().labels()).containsExactly(0);
        assertThat(s.description()).containsEntry("labelledWindows", Map.of("train", 2, "validation", 0, "test", 1));
    }
}
