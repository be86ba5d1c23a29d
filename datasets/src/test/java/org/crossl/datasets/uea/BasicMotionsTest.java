package org.crossl.datasets.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real BasicMotions problem in ../shared/data/uea/BasicMotions. */
class BasicMotionsTest {
    static Path root;

    static UeaConfig preset() {
        return new UeaConfig("uea/BasicMotions", null, List.of(
                new UeaConfig.Modality("acc", List.of(0, 1, 2), "watch", null),
                new UeaConfig.Modality("gyro", List.of(3, 4, 5), "watch", null)), 10.0, null, null, null);
    }

    @BeforeAll
    static void data() {
        root = TestData.requireFolder("uea/BasicMotions");
    }

    @Test
    void loadsTrainValidationAndTest() {
        DataSplits s = new UeaProvider().load(preset(), root, 0);
        assertThat(s.train().size() + s.validation().size()).isEqualTo(40);
        assertThat(s.validation().size()).isEqualTo(8); // 0.2 of 10 cases per class
        assertThat(s.test().size()).isEqualTo(40);
        for (WindowDataset d : List.of(s.train(), s.validation(), s.test())) {
            assertThat(d.modalities()).extracting(m -> m.name()).containsExactly("acc", "gyro");
            assertThat(d.data(0).shape()).containsExactly(d.size(), 100, 3);
            assertThat(d.data(1).shape()).containsExactly(d.size(), 100, 3);
            assertThat(d.classNames()).containsExactly("Standing", "Running", "Walking", "Badminton");
            assertThat(d.presence().minNumber().floatValue()).isEqualTo(1f);
            assertThat(java.util.Arrays.stream(d.labels()).boxed().toList()).allMatch(l -> l >= 0 && l < 4);
            assertThat(d.modalities().get(0).samplingRateHz()).isEqualTo(10.0);
        }
        // stratified: two validation cases of each class
        int[] counts = new int[4];
        for (int l : s.validation().labels()) {
            counts[l]++;
        }
        assertThat(counts).containsOnly(2);
        // subjects: case index in file; test offset; no overlap between splits
        Set<Integer> tr = set(s.train().subjects());
        Set<Integer> va = set(s.validation().subjects());
        assertThat(tr).doesNotContainAnyElementsOf(va);
        assertThat(set(s.test().subjects())).allMatch(x -> x >= UeaProvider.TEST_SUBJECT_OFFSET);
        Set<Integer> all = new HashSet<>(tr);
        all.addAll(va);
        assertThat(all).hasSize(40).allMatch(x -> x >= 0 && x < 40);

        // first TRAIN case, first value of dimension 0 and dimension 3 (from the file)
        int first = Arrays.stream(s.train().subjects()).boxed().toList().indexOf(0);
        if (first >= 0) {
            assertThat(s.train().data(0).getFloat(first, 0, 0)).isEqualTo(0.079106f);
        }
        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("reader", "uea").containsEntry("problem", "BasicMotions").containsKeys("files", "windows",
                "labelledWindows", "classNames", "readMillis", "subjects");
    }

    @Test
    void validationIsSeededAndReproducible() {
        DataSplits a = new UeaProvider().load(preset(), root, 7);
        DataSplits b = new UeaProvider().load(preset(), root, 7);
        DataSplits c = new UeaProvider().load(preset(), root, 8);
        assertThat(a.validation().subjects()).containsExactly(b.validation().subjects());
        assertThat(a.validation().subjects()).isNotEqualTo(c.validation().subjects());
        assertThat(a.train().data(0)).isEqualTo(b.train().data(0));
    }

    @Test
    void defaultModalitiesAreOnePerDimension() {
        DataSplits s = new UeaProvider().load(UeaConfig.of("uea/BasicMotions"), root, 0);
        assertThat(s.train().modalities()).extracting(m -> m.name()).containsExactly("dim0", "dim1", "dim2", "dim3", "dim4", "dim5");
        assertThat(s.test().data(5).shape()).containsExactly(40, 100, 1);
        assertThat(s.test().modalities().get(0).samplingRateHz()).isEqualTo(1.0);
    }

    private static Set<Integer> set(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int x : a) {
            s.add(x);
        }
        return s;
    }
}
