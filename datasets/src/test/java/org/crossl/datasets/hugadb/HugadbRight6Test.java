package org.crossl.datasets.hugadb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real HuGaDB in ../shared/data/hugadb, protocol hugadb-right6. */
class HugadbRight6Test {
    static Path root;
    static DataSplits splits;
    static long millis;

    @BeforeAll
    static void load() {
        root = TestData.requireFolder("hugadb");
        long t0 = System.nanoTime();
        splits = new HugadbProvider().load(HugadbConfig.defaults(), root, 0);
        millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("hugadb-right6 loaded in " + millis + " ms: " + splits.description());
    }

    @Test
    void splitsByTheProtocolsSubjects() {
        assertThat(subjects(splits.train())).containsExactlyElementsOf(range(1, 12));
        assertThat(subjects(splits.validation())).containsExactly(13, 14);
        assertThat(subjects(splits.test())).containsExactly(15, 16, 17, 18);
    }

    @Test
    void windowsHaveTheProtocolsShapeAndLabels() {
        int total = 0;
        for (WindowDataset d : List.of(splits.train(), splits.validation(), splits.test())) {
            assertThat(d.modalities()).extracting(m -> m.name())
                    .containsExactly("rf_acc", "rf_gyro", "rs_acc", "rs_gyro", "rt_acc", "rt_gyro");
            assertThat(d.modalities()).allMatch(m -> m.samplingRateHz() == 58.8);
            for (int m = 0; m < 6; m++) {
                assertThat(d.data(m).shape()).containsExactly(d.size(), 128, 3);
            }
            assertThat(d.classNames()).hasSize(12).startsWith("walking", "running", "going_up").endsWith("sitting_in_car");
            int[] labels = d.labels();
            assertThat(Arrays.stream(labels).boxed().toList()).allMatch(l -> l == WindowBatch.UNLABELLED || (l >= 0 && l < 12));
            long unlabelled = Arrays.stream(labels).filter(l -> l == WindowBatch.UNLABELLED).count();
            assertThat(unlabelled).isPositive().isLessThan(labels.length / 4);
            // corrupted gyros are kept by default; only windows holding a glitch reading (3 of them in right6) lose a modality
            assertThat(d.presence().sumNumber().intValue()).isBetween(6 * d.size() - 3, 6 * d.size());
            total += d.size();
        }
        // 2,111,869 samples in 635 recordings: at most samples/64 windows, a little less after each recording's tail
        assertThat(total).isBetween(30_000, 33_000);
        assertThat(splits.train().size()).isGreaterThan(splits.test().size()).isGreaterThan(splits.validation().size());
        // every class has labelled training windows
        assertThat(Arrays.stream(splits.train().labels()).filter(l -> l >= 0).distinct().count()).isEqualTo(12);
        // raw int16 values, not normalised
        assertThat(splits.train().data(0).maxNumber().doubleValue()).isGreaterThan(1000).isLessThanOrEqualTo(32767);
    }

    @Test
    void describesWhatWasRead() {
        Map<String, Object> d = splits.description();
        assertThat(d).containsEntry("reader", "hugadb").containsEntry("protocol", "hugadb-right6").containsEntry("filesFound", 635)
                .containsEntry("recordings", 635).containsEntry("samples", 2_111_869L).containsEntry("window", 128)
                .containsEntry("stride", 64).containsEntry("invalidReadings", 3)
                .containsEntry("windowsWithInvalidReadingAbsent", Map.of("train", 2, "validation", 0, "test", 1)).containsKeys("windows", "labelledWindows", "subjects", "classNames", "readMillis", "loadMillis");
        assertThat(d.get("path").toString()).endsWith("hugadb");
    }

    @Test
    void corruptedGyroVariantMarksGyroscopesAbsent() {
        // participant 3 alone: the README lists e.g. HuGaDB_v1_various_03_* with rf, rs, rt corrupted
        HugadbConfig c = new HugadbConfig(null, null, null, null, null, null, null, null, List.of(3), List.of(), List.of(), true, null, null);
        DataSplits s = new HugadbProvider().load(c, root, 0);
        WindowDataset tr = s.train();
        assertThat(tr.size()).isPositive();
        int absentRsGyro = 0;
        for (int i = 0; i < tr.size(); i++) {
            float[] p = tr.presence().getRow(i).toFloatVector();
            assertThat(p[0]).isEqualTo(1f); // accelerometers are never marked absent
            assertThat(p[2]).isEqualTo(1f);
            assertThat(p[4]).isEqualTo(1f);
            if (p[3] == 0f) {
                absentRsGyro++;
                assertThat(tr.data(3).slice(i).sumNumber().doubleValue()).isZero();
            }
        }
        assertThat(absentRsGyro).isPositive();
        assertThat((Integer) s.description().get("recordingsWithGyroAbsent")).isPositive();
    }

    private static Set<Integer> subjects(WindowDataset d) {
        Set<Integer> s = new TreeSet<>();
        for (int x : d.subjects()) {
            s.add(x);
        }
        return s;
    }

    private static List<Integer> range(int a, int b) {
        return java.util.stream.IntStream.rangeClosed(a, b).boxed().toList();
    }
}
