package org.crossl.datasets.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crossl.datasets.npy.NpyFiles.doubles;
import static org.crossl.datasets.npy.NpyFiles.longs;
import static org.crossl.datasets.npy.NpyFiles.shape;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: npy} end to end on synthetic archives and folders, and its error messages. */
class NpyProviderTest {

    @TempDir
    Path root;

    private final NpyProvider provider = new NpyProvider();

    /** Value of window w, time step s, channel c: {@code 100·w + 10·s + c}. */
    static double[] coded(int n, int t, int c) {
        double[] v = new double[n * t * c];
        for (int w = 0; w < n; w++) {
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < c; k++) {
                    v[(w * t + s) * c + k] = 100 * w + 10 * s + k;
                }
            }
        }
        return v;
    }

    static NpyConfig config(String path, String labels, String subjects, List<String> classNames,
                            List<NpyConfig.Modality> modalities, SplitConfig split) {
        return new NpyConfig(path, null, labels, subjects, null, classNames, modalities, null, split, null);
    }

    static NpyConfig filesConfig(String path, String x, String labels, NpyConfig.SplitFiles files) {
        return new NpyConfig(path, x, labels, null, null, null, null, null, null, files);
    }

    static NpyConfig.Modality modality(String name, Integer... channels) {
        return new NpyConfig.Modality(name, List.of(channels), null, null);
    }

    @Test
    void foundByServiceLoader() {
        DatasetProvider<?> npy = null;
        for (DatasetProvider<?> p : ServiceLoader.load(DatasetProvider.class)) {
            if (p.name().equals("npy")) {
                npy = p;
            }
        }
        assertThat(npy).isNotNull();
        assertThat(npy.configType()).isEqualTo(NpyConfig.class);
        assertThat(npy.description()).isNotBlank();
    }

    @Test
    void windowsLabelsSubjectsModalitiesAndNonFiniteValues() throws Exception {
        double[] x = coded(10, 4, 5);
        x[(2 * 4 + 1) * 5 + 4] = Double.NaN; // window 2, t 1, channel 4: gyro
        x[(9 * 4 + 3) * 5] = Double.POSITIVE_INFINITY; // window 9, t 3, channel 0: acc
        NpyFiles.npz(root.resolve("set/d.npz"), true, NpyFiles.entries(
                "X", doubles("<f4", shape(10, 4, 5), x),
                "y", longs("<i8", shape(10), 2, 5, 9, -1, 2, 5, 9, 2, -1, 5),
                "subjects", longs("<i4", shape(10), 0, 0, 1, 1, 2, 2, 3, 3, 4, 4)));
        NpyConfig c = config("set/d.npz", null, null, List.of("walk", "run", "sit"),
                List.of(modality("acc", 0, 1, 2), new NpyConfig.Modality("gyro", List.of(4, 3), "wrist", 50.0)),
                SplitConfig.explicit(List.of(0, 1, 2), List.of(3), List.of(4)));
        DataSplits s = provider.load(c, root, 7);

        WindowDataset tr = s.train();
        assertThat(tr.size()).isEqualTo(6);
        assertThat(s.validation().size()).isEqualTo(2);
        assertThat(s.test().size()).isEqualTo(2);
        assertThat(tr.classNames()).containsExactly("walk", "run", "sit");
        assertThat(tr.labels()).containsExactly(0, 1, 2, -1, 0, 1);
        assertThat(s.validation().labels()).containsExactly(2, 0);
        assertThat(s.test().labels()).containsExactly(-1, 1);
        assertThat(tr.subjects()).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(s.test().subjects()).containsExactly(4, 4);

        // modalities: channels picked and ordered as configured, time-major
        assertThat(tr.data(0).shape()).containsExactly(6, 4, 3);
        assertThat(tr.data(1).shape()).containsExactly(6, 4, 2);
        assertThat(tr.data(0).getFloat(1, 2, 1)).isEqualTo(121f);
        assertThat(tr.data(1).getFloat(0, 3, 0)).isEqualTo(34f);
        assertThat(tr.data(1).getFloat(0, 3, 1)).isEqualTo(33f);
        assertThat(s.validation().data(0).getFloat(1, 0, 2)).isEqualTo(702f);
        assertThat(tr.modalities().get(1).device()).isEqualTo("wrist");
        assertThat(tr.modalities().get(1).samplingRateHz()).isEqualTo(50.0);
        assertThat(tr.modalities().get(0).samplingRateHz()).isEqualTo(1.0);
        assertThat(tr.modalities().get(1).channelNames()).containsExactly("ch4", "ch3");

        // NaN / Inf: that modality absent and zeroed in that window only
        assertThat(tr.presence().getFloat(2, 1)).isZero();
        assertThat(tr.presence().getFloat(2, 0)).isEqualTo(1f);
        assertThat(tr.data(1).slice(2).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(0).getFloat(2, 0, 0)).isEqualTo(200f);
        assertThat(s.test().presence().getFloat(1, 0)).isZero();
        assertThat(s.test().data(0).slice(1).sumNumber().doubleValue()).isZero();
        assertThat(s.test().presence().getFloat(1, 1)).isEqualTo(1f);

        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("reader", "npy").containsEntry("layout", "npz").containsEntry("splitBy", "subjects")
                .containsEntry("path", root.resolve("set/d.npz").toString())
                .containsEntry("shape", List.of(10L, 4L, 5L)).containsEntry("dtype", "<f4")
                .containsEntry("classNames", List.of("walk", "run", "sit")).containsEntry("classValues", List.of(2L, 5L, 9L))
                .containsEntry("windows", Map.of("train", 6, "validation", 2, "test", 2))
                .containsEntry("labelledWindows", Map.of("train", 5, "validation", 2, "test", 1))
                .containsEntry("absentModalitiesFromNonFinite", Map.of("train", 1, "validation", 0, "test", 1))
                .containsEntry("windowsInNoSplit", 0)
                .containsKeys("readMillis", "arrays", "modalities", "subjects", "subjectIds", "labels");
        assertThat(d).doesNotContainKeys("unusedChannels", "absentModalitiesFromPresence", "subjectsInSeveralSplits");
        @SuppressWarnings("unchecked")
        Map<String, Object> subjects = (Map<String, Object>) d.get("subjects");
        assertThat(subjects).containsEntry("mode", "explicit").containsEntry("train", List.of(0, 1, 2))
                .containsEntry("test", List.of(4));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> arrays = (List<Map<String, Object>>) d.get("arrays");
        assertThat(arrays).extracting(m -> m.get("source")).containsExactly(root.resolve("set/d.npz") + " (entry X.npy)",
                root.resolve("set/d.npz") + " (entry y.npy)", root.resolve("set/d.npz") + " (entry subjects.npy)");
    }

    @Test
    void splitBySubjectNeverLeaksASubject() throws Exception {
        int n = 60;
        long[] subjects = new long[n];
        for (int w = 0; w < n; w++) {
            subjects[w] = 100 + w % 12; // interleaved: a subject's windows are spread over the file
        }
        NpyFiles.npz(root.resolve("s.npz"), false, NpyFiles.entries(
                "X", doubles("<f8", shape(n, 3, 2), coded(n, 3, 2)), "subjects", longs("<i8", shape(n), subjects)));
        for (SplitConfig split : List.of(SplitConfig.defaults(), new SplitConfig(null, null, null, 4, 1, null, null),
                new SplitConfig(null, null, null, null, null, 105, 2))) {
            NpyConfig c = config("s.npz", null, null, null, null, split);
            DataSplits s = provider.load(c, root, 3);
            List<Set<Integer>> sets = List.of(set(s.train()), set(s.validation()), set(s.test()));
            for (int a = 0; a < 3; a++) {
                for (int b = a + 1; b < 3; b++) {
                    assertThat(java.util.Collections.disjoint(sets.get(a), sets.get(b)))
                            .as("%s: splits %d and %d share subjects: %s, %s", split.mode(), a, b, sets.get(a), sets.get(b)).isTrue();
                }
            }
            assertThat(s.train().size() + s.validation().size() + s.test().size()).isEqualTo(n);
            // each window keeps its own values: window w starts with 100·w
            for (WindowDataset ds : List.of(s.train(), s.validation(), s.test())) {
                for (int i = 0; i < ds.size(); i++) {
                    int w = (int) ds.data(0).getFloat(i, 0, 0) / 100;
                    assertThat(ds.subjects()[i]).isEqualTo(100 + w % 12);
                }
            }
            // the same seed gives the same split
            assertThat(set(provider.load(c, root, 3).validation())).isEqualTo(sets.get(1));
        }
        DataSplits loso = provider.load(config("s.npz", null, null, null, null, new SplitConfig(null, null, null, null, null, 105, 2)),
                root, 3);
        assertThat(set(loso.test())).containsExactly(105);
        assertThat(set(loso.validation())).hasSize(2);
        assertThatThrownBy(() -> provider.load(config("s.npz", null, null, null, null,
                SplitConfig.explicit(List.of(100, 101), null, List.of(7))), root, 3))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split.test: no data for subject [7]");
    }

    private static Set<Integer> set(WindowDataset d) {
        Set<Integer> s = new HashSet<>();
        for (int id : d.subjects()) {
            s.add(id);
        }
        return s;
    }

    @Test
    void folderWithoutLabelsOrSubjectsRank2X() throws Exception {
        NpyFiles.write(root.resolve("f/X.npy"), doubles("<f8", shape(8, 6), coded(8, 6, 1)).bytes());
        DataSplits s = provider.load(NpyConfig.of("f"), root, 1);
        assertThat(s.train().size() + s.validation().size()).isEqualTo(8);
        assertThat(s.validation().size()).isEqualTo(1); // round(0.15 · 8) windows drawn
        assertThat(s.test().size()).isZero();
        WindowDataset tr = s.train();
        assertThat(tr.modalities()).hasSize(1);
        assertThat(tr.modalities().get(0).name()).isEqualTo("ch0");
        assertThat(tr.data(0).shape()).containsExactly(7, 6, 1);
        assertThat(tr.classNames()).isEmpty();
        assertThat(tr.labels()).containsOnly(-1);
        // every window is its own subject: its index
        for (int i = 0; i < tr.size(); i++) {
            assertThat(tr.data(0).getFloat(i, 5, 0)).isEqualTo(100f * tr.subjects()[i] + 50);
        }
        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("layout", "folder")
                .containsEntry("labels", "none: no array 'y', every window is unlabelled")
                .containsEntry("subjectIds", "none: every window is its own subject (its 0-based index in x), so the split is by window")
                .containsEntry("labelledWindows", Map.of("train", 0, "validation", 0, "test", 0));
        assertThat(d.get("subjects")).isEqualTo(Map.of("mode", "explicit", "train", "7 windows", "validation", "1 windows",
                "test", "0 windows"));
    }

    @Test
    void oneHotLabelsAndAPresenceArray() throws Exception {
        double[] x = coded(4, 3, 2);
        x[(1 * 3) * 2] = Double.NaN; // window 1 ch0: absent anyway by presence
        x[(3 * 3 + 2) * 2] = Double.NaN; // window 3 ch0: present by presence, but NaN
        NpyFiles.npz(root.resolve("o.npz"), true, NpyFiles.entries(
                "X", doubles("<f4", shape(4, 3, 2), x),
                "y", doubles("<f4", shape(4, 3), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0),
                "presence", longs("|b1", shape(4, 2), 1, 1, 0, 1, 1, 1, 1, 0)));
        DataSplits s = provider.load(config("o.npz", null, null, List.of("a", "b", "c"), null,
                SplitConfig.explicit(List.of(0, 1, 2, 3), List.of(), List.of())), root, 0);
        WindowDataset tr = s.train();
        assertThat(tr.labels()).containsExactly(0, 2, -1, 1);
        assertThat(tr.classNames()).containsExactly("a", "b", "c");
        assertThat(tr.presence().toFloatMatrix()).isDeepEqualTo(new float[][] {{1, 1}, {0, 1}, {1, 1}, {0, 0}});
        assertThat(tr.data(1).getFloat(0, 2, 0)).isEqualTo(21f);
        assertThat(tr.data(0).slice(1).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(1).slice(3).sumNumber().doubleValue()).isZero();
        assertThat(s.description()).containsEntry("absentModalitiesFromPresence", Map.of("train", 2, "validation", 0, "test", 0))
                .containsEntry("absentModalitiesFromNonFinite", Map.of("train", 1, "validation", 0, "test", 0))
                .containsEntry("classValues", List.of(0L, 1L, 2L))
                .containsEntry("labels", "one-hot rows of array 'y' (all-zero row = unlabelled)");
    }

    @Test
    void preSeparatedFilesInTheReferenceLayout() throws Exception {
        NpyFiles.npz(root.resolve("ref.npz"), true, NpyFiles.entries(
                "x_train", doubles("<f4", shape(4, 3, 2), coded(4, 3, 2)),
                "y_train", longs("<i8", shape(4), 3, 7, 7, -1),
                "x_val", doubles("<f4", shape(2, 3, 2), coded(2, 3, 2)),
                "y_val", longs("<i8", shape(2, 1), 7, 3),
                "x_test", doubles("<f8", shape(3, 3, 2), coded(3, 3, 2)),
                "y_test", doubles("<f8", shape(3), 9, 3, 3)));
        NpyConfig c = filesConfig("ref.npz", "x", "y", new NpyConfig.SplitFiles("{name}_train", "{name}_val", "{name}_test"));
        DataSplits s = provider.load(c, root, 0);
        assertThat(s.train().size()).isEqualTo(4);
        assertThat(s.validation().size()).isEqualTo(2);
        assertThat(s.test().size()).isEqualTo(3);
        assertThat(s.train().classNames()).containsExactly("3", "7", "9");
        assertThat(s.train().labels()).containsExactly(0, 1, 1, -1);
        assertThat(s.validation().labels()).containsExactly(1, 0);
        assertThat(s.test().labels()).containsExactly(2, 0, 0);
        assertThat(s.train().subjects()).containsExactly(0, 1, 2, 3);
        assertThat(s.validation().subjects()).containsExactly(4, 5);
        assertThat(s.test().subjects()).containsExactly(6, 7, 8);
        assertThat(s.test().data(1).getFloat(2, 1, 0)).isEqualTo(211f);
        Map<String, Object> d = s.description();
        assertThat(d).containsEntry("splitBy", "files")
                .containsEntry("shape", Map.of("train", List.of(4L, 3L, 2L), "validation", List.of(2L, 3L, 2L), "test", List.of(3L, 3L, 2L)))
                .containsEntry("dtype", Map.of("train", "<f4", "validation", "<f4", "test", "<f8"))
                .containsEntry("windows", Map.of("train", 4, "validation", 2, "test", 3))
                .doesNotContainKeys("windowsInNoSplit", "subjectsInSeveralSplits");
        assertThat((String) d.get("subjectIds")).startsWith("none: every window is its own subject");
        // the split comes from the files: split: is refused
        assertThatThrownBy(() -> new NpyConfig("ref.npz", "x", "y", null, null, null, null, null, SplitConfig.defaults(),
                new NpyConfig.SplitFiles("{name}_train", null, null))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("files"));
    }

    @Test
    void preSeparatedFoldersWithSubjects() throws Exception {
        NpyFiles.write(root.resolve("p/train/X.npy"), doubles(">f4", shape(3, 2, 1), 1, 2, 3, 4, 5, 6).bytes());
        NpyFiles.write(root.resolve("p/train/subjects.npy"), longs("<i8", shape(3), 4, 5, 5).bytes());
        NpyFiles.write(root.resolve("p/validation/X.npy"), doubles("<f4", shape(2, 2, 1), 7, 8, 9, 10).bytes());
        NpyFiles.write(root.resolve("p/validation/subjects.npy"), longs("<i8", shape(2), 5, 6).bytes());
        NpyConfig c = filesConfig("p", null, null, new NpyConfig.SplitFiles("train/{name}", "validation/{name}", null));
        DataSplits s = provider.load(c, root, 0);
        assertThat(s.train().subjects()).containsExactly(4, 5, 5);
        assertThat(s.validation().subjects()).containsExactly(5, 6);
        assertThat(s.test().size()).isZero();
        assertThat(s.test().data(0).shape()).containsExactly(0, 2, 1);
        assertThat(s.train().data(0).getFloat(2, 1, 0)).isEqualTo(6f);
        assertThat(s.description()).containsEntry("subjectsInSeveralSplits", List.of(5))
                .containsEntry("subjects", Map.of("mode", "files", "train", List.of(4, 5), "validation", List.of(5, 6), "test", List.of()));

        // subjects for one split but not another: refused, naming both
        NpyFiles.write(root.resolve("q/train/X.npy"), doubles("<f4", shape(1, 2, 1), 1, 2).bytes());
        NpyFiles.write(root.resolve("q/train/subjects.npy"), longs("<i8", shape(1), 4).bytes());
        NpyFiles.write(root.resolve("q/test/X.npy"), doubles("<f4", shape(1, 2, 1), 1, 2).bytes());
        assertThatThrownBy(() -> provider.load(filesConfig("q", null, null, new NpyConfig.SplitFiles("train/{name}", null, "test/{name}")),
                root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage("subject ids of the train split come from 'train/subjects' but the test split has no array 'test/subjects' "
                        + "(beside " + root.resolve("q/test/X.npy") + "); give subjects for every split or for none");
    }

    @Test
    void fortranOrderBigEndianXReadsLikeCOrder() throws Exception {
        NpyFiles.write(root.resolve("c/X.npy"), doubles("<f4", shape(5, 4, 3), coded(5, 4, 3)).bytes());
        NpyFiles.write(root.resolve("fo/X.npy"), doubles(">f8", shape(5, 4, 3), coded(5, 4, 3)).inFortranOrder().bytes());
        SplitConfig all = SplitConfig.explicit(List.of(0, 1, 2, 3, 4), List.of(), List.of());
        DataSplits c = provider.load(config("c", null, null, null, List.of(modality("m", 2, 0)), all), root, 0);
        DataSplits f = provider.load(config("fo", null, null, null, List.of(modality("m", 2, 0)), all), root, 0);
        assertThat(f.train().data(0)).isEqualTo(c.train().data(0));
        assertThat(f.train().data(0).getFloat(4, 3, 0)).isEqualTo(432f);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> arrays = (List<Map<String, Object>>) f.description().get("arrays");
        assertThat(arrays.get(0)).containsEntry("fortranOrder", true).containsEntry("dtype", ">f8");
        assertThat(f.description()).containsEntry("unusedChannels", List.of(1));
    }

    // ---- errors ----

    private Path npz(Object... entries) throws Exception {
        return NpyFiles.npz(root.resolve("e.npz"), false, NpyFiles.entries(entries));
    }

    @Test
    void missingPathTellsWhereItLooked() {
        assertThatThrownBy(() -> provider.load(NpyConfig.of("nope/d.npz"), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("npy dataset not found at " + root.resolve("nope/d.npz"))
                .hasMessageContaining("(data root: " + root + ")")
                .hasMessageContaining("--data-root / CROSSL_DATA")
                .hasMessageContaining("np.savez");
    }

    @Test
    void shapeMismatchesNameBothArrays() throws Exception {
        Path f = npz("X", NpyFiles.range(4, 3, 2), "y", longs("<i8", shape(5), 0, 1, 0, 1, 0));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + " (entry y.npy): labels must be [windows] class values or [windows, classes] one-hot rows with one "
                        + "entry per window of x (4 windows, shape [4, 3, 2] in " + f + " (entry X.npy)), but has shape [5]");
        npz("X", NpyFiles.range(4, 3, 2), "subjects", longs("<i8", shape(3), 0, 1, 2));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry subjects.npy): subjects must be [windows] integer subject ids with one entry per window of x "
                        + "(4 windows, shape [4, 3, 2] in " + f + " (entry X.npy)), but has shape [3]");
        npz("X", NpyFiles.range(4, 3, 2), "subjects", longs("<i8", shape(4, 2), 0, 1, 2, 3, 4, 5, 6, 7));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry subjects.npy): subjects must be [windows] integer subject ids, but has shape [4, 2]");
        npz("X", NpyFiles.range(4, 3, 2), "y", doubles("<f4", shape(4), 0, 1.5, 0, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry y.npy): element [1] is 1.5, not an integer (<f4)");
    }

    @Test
    void xMustBeRank2Or3WithWindows() throws Exception {
        Path f = npz("X", NpyFiles.range(6));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + " (entry X.npy): x must be [windows, time, channels] or [windows, time], but has shape [6] (rank 1)");
        npz("X", NpyFiles.range(2, 2, 2, 2));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).hasMessageContaining("but has shape [2, 2, 2, 2] (rank 4)");
        npz("X", NpyFiles.range(0, 5, 2));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry X.npy): x holds no windows (shape [0, 5, 2])");
        npz("X", NpyFiles.range(3, 0, 2));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).hasMessageContaining("x has windows of length 0");
    }

    @Test
    void missingArraysListWhatIsThere() throws Exception {
        Path f = npz("windows", NpyFiles.range(2, 2, 2), "labels", longs("<i8", shape(2), 0, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + ": no array 'X' (entry X.npy) in the archive; arrays present: [labels, windows]");
        // an optional array named explicitly must exist: a typo must not silently drop the labels
        NpyConfig c = new NpyConfig("e.npz", "windows", "label", null, null, null, null, null, null, null);
        assertThatThrownBy(() -> provider.load(c, root, 0))
                .hasMessage(f + ": no array 'label' (entry label.npy) in the archive; arrays present: [labels, windows]");
        NpyConfig ok = new NpyConfig("e.npz", "windows", "labels", null, null, null, null, null, null, null);
        assertThat(provider.load(ok, root, 0).train().classNames()).containsExactly("0", "1");
    }

    @Test
    void configErrorsAgainstTheData() throws Exception {
        npz("X", NpyFiles.range(4, 3, 2), "y", longs("<i8", shape(4), 0, 4, 4, -1));
        assertThatThrownBy(() -> provider.load(config("e.npz", null, null, List.of("a", "b", "c"), null, null), root, 0))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("classNames"))
                .hasMessageContaining("3 names given, but the labels have 2 distinct non-negative values [0, 4]");
        assertThatThrownBy(() -> provider.load(config("e.npz", null, null, null, List.of(modality("a", 0), modality("b", 2)), null),
                root, 0)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("modalities[1].channels"))
                .hasMessageContaining("channel 2 does not exist: x has 2 channels (0..1; shape [4, 3, 2]");
        npz("X", NpyFiles.range(4, 3, 2));
        assertThatThrownBy(() -> provider.load(config("e.npz", null, null, List.of("a"), null, null), root, 0))
                .hasMessageContaining("1 names given, but the data has no labels (no array 'y')");
    }

    @Test
    void badPresenceAndOneHotArrays() throws Exception {
        Path f = npz("X", NpyFiles.range(2, 3, 2), "presence", longs("<i8", shape(2, 3), 1, 1, 1, 1, 1, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + " (entry presence.npy): presence must be [windows, modalities] = [2, 2] (modalities [ch0, ch1]), "
                        + "but has shape [2, 3]");
        npz("X", NpyFiles.range(2, 3, 2), "presence", longs("<i8", shape(2, 2), 1, 1, 2, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry presence.npy): element [1, 0] is 2; presence holds 0 (absent) or 1 (present)");
        npz("X", NpyFiles.range(2, 3, 2), "presence", longs("<i8", shape(3, 2), 1, 1, 1, 1, 1, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessageContaining("presence must be [windows, modalities] with 2 windows").hasMessageContaining("but has shape [3, 2]");
        npz("X", NpyFiles.range(2, 3, 2), "y", longs("<i8", shape(2, 3), 0, 1, 0, 1, 0, 1));
        assertThatThrownBy(() -> provider.load(NpyConfig.of("e.npz"), root, 0))
                .hasMessage(f + " (entry y.npy): row 1 of the one-hot labels [2, 3] is not one-hot (0/1 values, at most one 1): "
                        + "element [1, 2] is 1 after another 1");
    }

    @Test
    void preSeparatedSplitsMustAgree() throws Exception {
        Path f = npz("x_train", NpyFiles.range(2, 3, 2), "x_val", NpyFiles.range(2, 4, 2),
                "x_test", NpyFiles.range(1, 3, 2), "y_train", longs("<i8", shape(2), 0, 1),
                "y_test", longs("<i8", shape(1, 2), 0, 1));
        NpyConfig.SplitFiles files = new NpyConfig.SplitFiles("{name}_train", "{name}_val", "{name}_test");
        assertThatThrownBy(() -> provider.load(filesConfig("e.npz", "x", null, files), root, 0)).isInstanceOf(DataFormatException.class)
                .hasMessage(f + " (entry x_val.npy): shape [2, 4, 2] does not match the training split's x (" + f
                        + " (entry x_train.npy), shape [2, 3, 2]): every split needs the same window length and channels");
        assertThatThrownBy(() -> provider.load(filesConfig("e.npz", "x", null, new NpyConfig.SplitFiles("{name}_train", null, "{name}_test")),
                root, 0)).hasMessage(f + " (entry y_test.npy): holds one-hot labels with 2 classes but " + f
                + " (entry y_train.npy) holds class values; every split needs the same label form");
    }
}
