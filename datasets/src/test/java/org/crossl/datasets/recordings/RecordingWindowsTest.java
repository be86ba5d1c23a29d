package org.crossl.datasets.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.crossl.datasets.recordings.CsvFolders.config;
import static org.crossl.datasets.recordings.CsvFolders.csv;
import static org.crossl.datasets.recordings.CsvFolders.gz;
import static org.crossl.datasets.recordings.CsvFolders.ramp;
import static org.crossl.datasets.recordings.CsvFolders.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowing of synthetic recording folders: rates, timestamps, gaps, missing files, gzip, subjects and splits. */
class RecordingWindowsTest {

    static final List<RecordingsConfig.Modality> ACC_ECG = List.of(RecordingsConfig.declared("acc", 50), RecordingsConfig.declared("ecg", 20));

    /** acc at 50 Hz for 6 s (x = i, y = 1000 + i, z = -i), ecg at 20 Hz for 5 s (v = i / 2). */
    static void accEcg(Path dir, boolean gzip) throws Exception {
        String acc = csv("x,y,z", 300, i -> i + "," + (1000 + i) + "," + (-i));
        String ecg = csv("v", 100, i -> Double.toString(i * 0.5));
        write(dir.resolve("acc.csv"), acc);
        if (gzip) {
            gz(dir.resolve("ecg.csv.gz"), ecg);
        } else {
            write(dir.resolve("ecg.csv"), ecg);
        }
    }

    @Test
    void twoRatesGiveWindowsOfEqualDurationAndDifferentLengths(@TempDir Path root) throws Exception {
        accEcg(root.resolve("rec/1/a"), false);
        DataSplits s = new RecordingsProvider().load(config(ACC_ECG, null, 2.0, 1.0, null), root, 0);
        WindowDataset tr = s.train();
        // ecg (5 s) limits: windows start at 0, 1, 2, 3 s
        assertThat(tr.size()).isEqualTo(4);
        assertThat(tr.data(0).shape()).containsExactly(4, 100, 3);
        assertThat(tr.data(1).shape()).containsExactly(4, 40, 1);
        assertThat(tr.modalities().get(0).samplingRateHz()).isEqualTo(50.0);
        assertThat(tr.modalities().get(1).samplingRateHz()).isEqualTo(20.0);
        assertThat(tr.modalities().get(0).channelNames()).containsExactly("x", "y", "z");
        // window 2 starts at 2 s: acc sample 100, ecg sample 40
        assertThat(tr.data(0).getFloat(2, 0, 0)).isEqualTo(100f);
        assertThat(tr.data(0).getFloat(2, 5, 1)).isEqualTo(1105f);
        assertThat(tr.data(0).getFloat(2, 99, 2)).isEqualTo(-199f);
        assertThat(tr.data(1).getFloat(2, 0, 0)).isEqualTo(20f);
        assertThat(tr.data(1).getFloat(3, 39, 0)).isEqualTo(49.5f);
        assertThat(tr.presence().sumNumber().intValue()).isEqualTo(8);
        assertThat(tr.labels()).containsOnly(-1);
        assertThat(tr.subjects()).containsOnly(1);
        assertThat(s.validation().size()).isZero();
        assertThat(s.test().size()).isZero();
        assertThat(s.test().data(1).shape()).containsExactly(0, 40, 1);
        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("reader", "recordings").containsEntry("recordings", 1).containsEntry("windowSeconds", 2.0)
                .containsEntry("strideSeconds", 1.0).containsEntry("classNames", List.of())
                .containsEntry("windows", Map.of("train", 4, "validation", 0, "test", 0))
                .containsEntry("labelledWindows", Map.of("train", 0, "validation", 0, "test", 0))
                .containsKeys("readMillis", "subjects", "recordingsPerSplit", "absentFromMissingFile", "absentFromNonFinite");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> mods = (Map<String, Map<String, Object>>) d.get("modalities");
        assertThat(mods.get("acc")).containsEntry("windowSamples", 100).containsEntry("samplingRateHz", 50.0)
                .containsEntry("channels", List.of("x", "y", "z")).containsEntry("device", "acc").containsEntry("rateFrom", "declared");
        assertThat(mods.get("ecg")).containsEntry("windowSamples", 40);
    }

    @Test
    void strideDefaultsToHalfAWindowAndStartsRound(@TempDir Path root) throws Exception {
        accEcg(root.resolve("rec/1/a"), false);
        // stride 1.25 s: ecg starts at round(1.25 * 20) = 25, acc at round(1.25 * 50) = round(62.5) = 63
        DataSplits s = new RecordingsProvider().load(config(ACC_ECG, null, 2.0, 1.25, null), root, 0);
        assertThat(s.train().size()).isEqualTo(3); // 0, 1.25, 2.5 (3.75 + 2 > 5)
        assertThat(s.train().data(0).getFloat(1, 0, 0)).isEqualTo(63f);
        assertThat(s.train().data(1).getFloat(1, 0, 0)).isEqualTo(12.5f);
        DataSplits half = new RecordingsProvider().load(config(ACC_ECG, null, 2.0, null, null), root, 0);
        assertThat(half.description()).containsEntry("strideSeconds", 1.0);
    }

    @Test
    void timestampsGiveTheRateAndGapsBreakTheRecording(@TempDir Path root) throws Exception {
        Path dir = root.resolve("rec/3/s1");
        // 50 Hz in ms with a little jitter: 200 samples from 100 s, then a 1.02 s gap, 200 samples from 105 s
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long t = i < 200 ? 100_000 + 20L * i : 105_000 + 20L * (i - 200);
            if (i % 5 == 2) {
                t += 1; // jitter (not at a segment's ends): the mean step stays 20 ms
            }
            rows.add(t + "," + i);
        }
        write(dir.resolve("acc.csv"), "t_ms,x\n" + String.join("\n", rows) + "\n");
        // a declared-rate modality starts at the recording's start (the earliest timestamp)
        write(dir.resolve("ecg.csv"), ramp(250));
        List<RecordingsConfig.Modality> mods = List.of(RecordingsConfig.timestamped("acc", "t_ms", "ms"), RecordingsConfig.declared("ecg", 25));
        DataSplits s = new RecordingsProvider().load(config(mods, null, 1.0, 0.5, null), root, 0);
        WindowDataset tr = s.train();
        assertThat(tr.modalities().get(0).samplingRateHz()).isEqualTo(50.0);
        assertThat(tr.modalities().get(0).channelNames()).containsExactly("x");
        assertThat(tr.data(0).shape()).containsExactly(14, 50, 1);
        // first segment [0, 4 s): starts 0 .. 3 s; second [5 s, 9 s): starts 5 .. 8 s; none spans the gap
        List<Float> firsts = new ArrayList<>();
        List<Float> ecgFirsts = new ArrayList<>();
        for (int w = 0; w < tr.size(); w++) {
            firsts.add(tr.data(0).getFloat(w, 0, 0));
            ecgFirsts.add(tr.data(1).getFloat(w, 0, 0));
            // every window holds 50 consecutive samples of one segment
            assertThat(tr.data(0).getFloat(w, 49, 0) - tr.data(0).getFloat(w, 0, 0)).isEqualTo(49f);
        }
        assertThat(firsts).containsExactly(0f, 25f, 50f, 75f, 100f, 125f, 150f, 200f, 225f, 250f, 275f, 300f, 325f, 350f);
        // ecg at 25 Hz starts at round(start * 25): round(12.5) = 13, round(37.5) = 38, …
        assertThat(ecgFirsts).containsExactly(0f, 13f, 25f, 38f, 50f, 63f, 75f, 125f, 138f, 150f, 163f, 175f, 188f, 200f);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> mods2 = (Map<String, Map<String, Object>>) s.description().get("modalities");
        assertThat(mods2.get("acc")).containsEntry("gaps", 1).containsEntry("samplingRateHz", 50.0).containsEntry("windowSamples", 50);
        assertThat((String) mods2.get("acc").get("rateFrom")).contains("t_ms").contains("ms");
    }

    @Test
    void aLargerGapFactorKeepsTheRecordingWhole(@TempDir Path root) throws Exception {
        // 10 Hz in ms with one 250 ms step after sample 19: a gap at factor 2, not at factor 3
        write(root.resolve("rec/1/a/imu.csv"), csv("time,v", 40, i -> (i < 20 ? 100 * i : 2150 + 100 * (i - 20)) + "," + i));
        List<RecordingsConfig.Modality> mods = List.of(RecordingsConfig.timestamped("imu", "time", "ms"));
        RecordingsConfig three = config(mods, null, 1.0, 0.5, null);
        // 1.5 s spans the step; 2.0 s is not covered: its first sample (2.15 s) is more than a period late
        assertThat(firstValues(new RecordingsProvider().load(three, root, 0).train())).containsExactly(0f, 5f, 10f, 15f, 23f, 28f);
        RecordingsConfig two = new RecordingsConfig("rec", null, null, mods, null, 1.0, 0.5, 2.0, null, null, null);
        DataSplits s = new RecordingsProvider().load(two, root, 0);
        assertThat(firstValues(s.train())).containsExactly(0f, 5f, 10f, 23f, 28f);
        assertThat(s.description()).containsEntry("maxGapFactor", 2.0);
    }

    static List<Float> firstValues(WindowDataset set) {
        List<Float> out = new ArrayList<>();
        for (int w = 0; w < set.size(); w++) {
            out.add(set.data(0).getFloat(w, 0, 0));
        }
        return out;
    }

    @Test
    void aMissingFileMakesItsModalityAbsentInThatRecording(@TempDir Path root) throws Exception {
        accEcg(root.resolve("rec/1/a"), false);
        write(root.resolve("rec/1/b/acc.csv"), csv("x,y,z", 150, i -> i + ",0,0")); // 3 s, no ecg
        write(root.resolve("rec/2/a/acc.csv"), csv("x,y,z", 100, i -> i + ",0,0")); // 2 s, subject 2 never has ecg
        SplitConfig split = SplitConfig.explicit(List.of(1), List.of(), List.of(2));
        DataSplits s = new RecordingsProvider().load(config(ACC_ECG, null, 2.0, 1.0, split), root, 0);
        WindowDataset tr = s.train();
        // recording 1/a: 4 windows, 1/b: 2 windows (acc alone decides), 2/a: 1 window
        assertThat(tr.size()).isEqualTo(6);
        for (int w = 0; w < 6; w++) {
            assertThat(tr.presence().getFloat(w, 0)).isEqualTo(1f);
            assertThat(tr.presence().getFloat(w, 1)).isEqualTo(w < 4 ? 1f : 0f);
        }
        assertThat(tr.data(1).slice(4).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(0).getFloat(5, 0, 0)).isEqualTo(50f);
        WindowDataset te = s.test();
        assertThat(te.size()).isEqualTo(1);
        assertThat(te.presence().getFloat(0, 1)).isZero();
        assertThat(te.subjects()).containsExactly(2);
        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("recordingsWithoutModality", Map.of("acc", 0, "ecg", 2))
                .containsEntry("subjectsWithoutModality", Map.of("acc", List.of(), "ecg", List.of(2)))
                .containsEntry("absentFromMissingFile", Map.of("train", 2, "validation", 0, "test", 1))
                .containsEntry("recordingsPerSplit", Map.of("train", 2, "validation", 0, "test", 1));
    }

    @Test
    void gzipFilesReadLikePlainOnes(@TempDir Path root) throws Exception {
        accEcg(root.resolve("plain/1/a"), false);
        accEcg(root.resolve("zipped/1/a"), true);
        RecordingsConfig p = new RecordingsConfig("plain", null, null, ACC_ECG, null, 2.0, 1.0, null, null, null, null);
        RecordingsConfig z = new RecordingsConfig("zipped", null, null, ACC_ECG, null, 2.0, 1.0, null, null, null, null);
        WindowDataset a = new RecordingsProvider().load(p, root, 0).train();
        WindowDataset b = new RecordingsProvider().load(z, root, 0).train();
        assertThat(b.size()).isEqualTo(a.size()).isEqualTo(4);
        assertThat(b.data(1)).isEqualTo(a.data(1));
        assertThat(b.data(0)).isEqualTo(a.data(0));
    }

    @Test
    void kFoldSplitsNeverShareASubject(@TempDir Path root) throws Exception {
        for (int subject = 1; subject <= 5; subject++) {
            String value = Integer.toString(subject);
            for (String session : List.of("s1", "s2")) {
                write(root.resolve("rec/subject" + subject + "/session" + session + "/acc.csv"), csv("x", 100, i -> value));
            }
        }
        Set<Integer> tested = new TreeSet<>();
        for (int fold = 0; fold < 5; fold++) {
            SplitConfig split = new SplitConfig(null, null, null, 5, fold, null, null);
            RecordingsConfig c = new RecordingsConfig("rec", "subject{subject}/session{session}", null,
                    List.of(RecordingsConfig.declared("acc", 10)), null, 2.0, 2.0, null, null, null, split);
            DataSplits s = new RecordingsProvider().load(c, root, 42);
            List<Set<Integer>> seen = new ArrayList<>();
            for (WindowDataset set : List.of(s.train(), s.validation(), s.test())) {
                Set<Integer> subjects = new HashSet<>();
                for (int w = 0; w < set.size(); w++) {
                    subjects.add(set.subjects()[w]);
                    // the values are the subject id: windows went where their subject is
                    assertThat(set.data(0).getFloat(w, 0, 0)).isEqualTo((float) set.subjects()[w]);
                }
                seen.add(subjects);
            }
            assertThat(seen.get(2)).hasSize(1);
            assertThat(seen.get(1)).hasSize(1);
            assertThat(seen.get(0)).hasSize(3).doesNotContainAnyElementsOf(seen.get(1)).doesNotContainAnyElementsOf(seen.get(2));
            assertThat(seen.get(1)).doesNotContainAnyElementsOf(seen.get(2));
            assertThat(s.test().size()).isEqualTo(10); // 2 sessions x 5 windows
            @SuppressWarnings("unchecked")
            Map<String, Object> subjects = (Map<String, Object>) s.description().get("subjects");
            assertThat(subjects).containsEntry("mode", "folds").containsEntry("test", List.copyOf(seen.get(2)));
            assertThat(s.description()).containsEntry("recordings", 10)
                    .containsEntry("recordingsPerSplit", Map.of("train", 6, "validation", 2, "test", 2));
            tested.addAll(seen.get(2));
        }
        assertThat(tested).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void recordingsCanBeListedAndSessionsSortNaturally(@TempDir Path root) throws Exception {
        write(root.resolve("rec/p1/x/acc.csv"), csv("x", 20, i -> "1"));
        write(root.resolve("rec/p2/acc.csv"), csv("x", 20, i -> "2"));
        write(root.resolve("rec/unused/acc.csv"), csv("x", 20, i -> "3"));
        RecordingsConfig c = new RecordingsConfig("rec", null, List.of(new RecordingsConfig.Recording("p2", 7, "late"),
                new RecordingsConfig.Recording("p1/x", 7, null)), List.of(RecordingsConfig.declared("acc", 10)), null, 2.0, null, null,
                null, null, null);
        assertThat(c.recordings().get(1).session()).isEqualTo("p1/x");
        DataSplits s = new RecordingsProvider().load(c, root, 0);
        assertThat(s.train().size()).isEqualTo(2);
        // recordings keep the listed order
        assertThat(s.train().data(0).getFloat(0, 0, 0)).isEqualTo(2f);
        assertThat(s.train().subjects()).containsOnly(7);
        assertThat(s.description()).containsEntry("layout", "explicit recordings list").containsEntry("recordings", 2);

        // layout: sessions compare naturally (s2 before s10); folders that do not match are listed
        write(root.resolve("lay/subj01/s10/acc.csv"), csv("x", 20, i -> "10"));
        write(root.resolve("lay/subj01/s2/acc.csv"), csv("x", 20, i -> "2"));
        write(root.resolve("lay/notes/old/acc.csv"), csv("x", 20, i -> "0"));
        RecordingsConfig l = new RecordingsConfig("lay", "subj{subject}/s{session}", null, List.of(RecordingsConfig.declared("acc", 10)),
                null, 2.0, null, null, null, null, null);
        DataSplits ls = new RecordingsProvider().load(l, root, 0);
        assertThat(ls.train().data(0).getFloat(0, 0, 0)).isEqualTo(2f);
        assertThat(ls.train().data(0).getFloat(1, 0, 0)).isEqualTo(10f);
        assertThat(ls.train().subjects()).containsOnly(1);
        assertThat(ls.description()).containsEntry("foldersNotMatchingLayout", List.of("notes/old"));
    }

    @Test
    void sharedFilesExtraColumnsQuotesAndOtherDelimiters(@TempDir Path root) throws Exception {
        // one IMU file holds two modalities; an unnamed index column and a text column are ignored
        String imu = csv("\uFEFF,\"ax\",ay,gx,note", 30, i -> i + "," + i + "," + (i + 0.25) + ",\"" + (-i) + "\",hello") + "\n\n";
        write(root.resolve("rec/4/a/imu.csv"), imu.replace(',', ';'));
        List<RecordingsConfig.Modality> mods = List.of(
                new RecordingsConfig.Modality("acc", "imu.csv", List.of("ax", "ay"), "wrist", 10.0, null, null),
                new RecordingsConfig.Modality("gyro", "imu.csv", List.of("gx"), "wrist", 10.0, null, null));
        RecordingsConfig c = new RecordingsConfig("rec", null, null, mods, null, 1.0, 1.0, null, null, ";", null);
        WindowDataset tr = new RecordingsProvider().load(c, root, 0).train();
        assertThat(tr.size()).isEqualTo(3);
        assertThat(tr.data(0).getFloat(2, 3, 1)).isEqualTo(23.25f);
        assertThat(tr.data(1).getFloat(2, 3, 0)).isEqualTo(-23f);
        assertThat(tr.modalities().get(1).device()).isEqualTo("wrist");
    }
}
