package org.crossl.datasets.hugadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiny files in HuGaDB's format, for exact windowing, labelling and error checks. */
class SyntheticHugadbTest {

    /** The 39 column names of a real file. */
    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>();
        for (String pos : HugadbPositions.POSITIONS) {
            for (String sensor : HugadbPositions.SENSORS) {
                c.addAll(HugadbPositions.columns(pos, sensor));
            }
        }
        c.add("EMG_r");
        c.add("EMG_l");
        c.add("act");
        COLUMNS = List.copyOf(c);
    }

    /**
     * A file whose sample i, IMU column j (in the standard order) holds i·100 + j, EMG_r i, EMG_l 100 + i;
     * columns written in {@code order}.
     */
    static String file(int[] acts, List<String> order) {
        StringBuilder sb = new StringBuilder("#Activity\tsynthetic \n#ActivityID\t1 2 \n#Date 01-01-00-00\n");
        sb.append(String.join("\t", order)).append('\n');
        for (int i = 0; i < acts.length; i++) {
            List<String> row = new ArrayList<>();
            for (String name : order) {
                int j = COLUMNS.indexOf(name);
                int v = name.equals("act") ? acts[i] : name.startsWith("EMG") ? (j - 36) * 100 + i : i * 100 + j; // EMG is uint8
                row.add(Integer.toString(v));
            }
            sb.append(String.join("\t", row)).append('\n');
        }
        return sb.toString();
    }

    static void gz(Path p, String text) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static HugadbConfig config(List<Integer> train, List<Integer> val, List<Integer> test, boolean corrupted) {
        return new HugadbConfig("h", null, null, null, null, 4, 2, null, train, val, test, corrupted, null, null);
    }

    /** Subject 1: 10 samples (walking ×4, running ×6); subject 2: 3 samples (.gz); subject 3: 5 samples, columns reversed. */
    static Path dataset(Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("h"));
        Files.writeString(dir.resolve("HuGaDB_v1_various_01_00.txt"), file(new int[] {1, 1, 1, 1, 2, 2, 2, 2, 2, 2}, COLUMNS));
        gz(dir.resolve("HuGaDB_v1_walking_02_00.txt.gz"), file(new int[] {1, 1, 1}, COLUMNS));
        List<String> reversed = new ArrayList<>(COLUMNS);
        Collections.reverse(reversed);
        gz(dir.resolve("HuGaDB_v1_standing_03_00.txt.gz"), file(new int[] {8, 8, 8, 8, 8}, reversed));
        Files.writeString(dir.resolve("notes.txt"), "not a recording\n");
        return dir;
    }

    @Test
    void splitSectionAndMajorityLabels(@TempDir Path root) throws Exception {
        dataset(root);
        HugadbConfig loso = new HugadbConfig("h", null, null, null, null, 4, 2, null, null, null, null, null,
                new org.crossl.datasets.window.LabelPolicy("majority", 0.5),
                new org.crossl.datasets.split.SplitConfig(null, List.of(2), null, null, null, 3, null));
        DataSplits s = new HugadbProvider().load(loso, root, 0);
        assertThat(s.test().subjects()).containsOnly(3);
        assertThat(s.validation().size()).isZero(); // subject 2 has 3 samples, less than one window
        assertThat(s.train().subjects()).containsOnly(1);
        // window [2,6): walking 2, running 2 -> tie at 0.5 goes to the smaller class index (walking)
        assertThat(s.train().labels()).containsExactly(0, 0, 1, 1);
        assertThat(s.description().get("subjects").toString()).contains("mode=leaveOneSubjectOut").contains("validation=[2]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HugadbConfig("h", null, null, null, null, 4, 2, null,
                        List.of(1), null, null, null, null, org.crossl.datasets.split.SplitConfig.defaults()))
                .hasMessageContaining("trainSubjects: give either split: or the trainSubjects/validationSubjects/testSubjects keys");
    }

    @Test
    void windowsAndLabelsAreExact(@TempDir Path root) throws Exception {
        dataset(root);
        DataSplits s = new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0);
        WindowDataset tr = s.train();
        assertThat(tr.modalities()).extracting(m -> m.name()).containsExactly("rf_acc", "rf_gyro", "rs_acc", "rs_gyro", "rt_acc", "rt_gyro");
        assertThat(tr.modalities()).extracting(m -> m.device())
                .containsExactly("right_foot", "right_foot", "right_shin", "right_shin", "right_thigh", "right_thigh");
        assertThat(tr.modalities().get(3).channelNames()).containsExactly("gyro_rs_x", "gyro_rs_y", "gyro_rs_z");
        assertThat(tr.classNames()).containsExactly("walking", "running", "standing");
        // starts 0, 2, 4, 6
        assertThat(tr.size()).isEqualTo(4);
        assertThat(tr.labels()).containsExactly(0, WindowBatch.UNLABELLED, 1, 1);
        assertThat(tr.subjects()).containsOnly(1);
        assertThat(tr.data(0).shape()).containsExactly(4, 4, 3);
        // window 0, t = 1: sample 1, acc_rf_x is column 0
        assertThat(tr.data(0).getFloat(0, 1, 0)).isEqualTo(100f);
        // window 1 (start 2), t = 0, gyro_rs_x is column 9; gyro_rs_z column 11
        assertThat(tr.data(3).getFloat(1, 0, 0)).isEqualTo(209f);
        assertThat(tr.data(3).getFloat(1, 3, 2)).isEqualTo(511f);
        assertThat(tr.presence().minNumber().floatValue()).isEqualTo(1f);
        // subject 2's recording is shorter than a window
        assertThat(s.validation().size()).isZero();
        assertThat(s.validation().data(0).shape()).containsExactly(0, 4, 3);
        // subject 3: columns in reversed order are still found by name
        WindowDataset te = s.test();
        assertThat(te.size()).isEqualTo(1);
        assertThat(te.labels()).containsExactly(2);
        assertThat(te.data(5).getFloat(0, 4 - 1, 2)).isEqualTo(300f + 17f); // gyro_rt_z is column 17
        assertThat(s.description()).containsEntry("recordings", 3).containsEntry("recordingsShorterThanWindow", 1)
                .containsEntry("filesFound", 3).containsEntry("classActivityIds", List.of(1, 2, 8));
    }

    @Test
    void fullProtocolAddsLeftImusAndEmg(@TempDir Path root) throws Exception {
        dataset(root);
        HugadbConfig c = new HugadbConfig("h", "hugadb-full", null, null, null, 4, 2, null, List.of(1), List.of(), List.of(), null, null, null);
        WindowDataset tr = new HugadbProvider().load(c, root, 0).train();
        assertThat(tr.modalities()).hasSize(13);
        assertThat(tr.modalities().get(12).name()).isEqualTo("emg");
        assertThat(tr.modalities().stream().map(m -> m.device()).distinct()).hasSize(7);
        assertThat(tr.data(12).getFloat(1, 0, 1)).isEqualTo(102f); // EMG_l of sample 2
        assertThat(tr.data(12).getFloat(1, 0, 0)).isEqualTo(2f);
    }

    @Test
    void corruptedGyroscopesFromTheReadmeAreMarkedAbsent(@TempDir Path root) throws Exception {
        Path dir = dataset(root);
        Files.writeString(dir.resolve("README.md"), """
                ## Corrupted gyroscope data
                |File| Right foot | Left foot | Right shank | Left shank | Right thigh | Left thigh |
                |----|------------|-----------|------------|-----------|-------------|------------|
                |HuGaDB_v1_various_01_00.txt | 	OK		|	Corrupted		| 	Corrupted		|	OK		| 	OK		|	OK		|
                | HuGaDB_v1_standing_03_00.txt | Corrupted | OK | OK | OK | OK | OK |
                """);
        DataSplits s = new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), true), root, 0);
        WindowDataset tr = s.train();
        for (int i = 0; i < tr.size(); i++) {
            assertThat(tr.presence().getRow(i).toFloatVector()).containsExactly(1f, 1f, 1f, 0f, 1f, 1f);
        }
        assertThat(tr.data(3).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(2).sumNumber().doubleValue()).isPositive();
        assertThat(s.test().presence().getRow(0).toFloatVector()).containsExactly(1f, 0f, 1f, 1f, 1f, 1f);
        assertThat(s.description()).containsEntry("recordingsWithGyroAbsent", 2);
        // without the flag, the same data is kept as recorded
        DataSplits k = new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0);
        assertThat(k.train().presence().minNumber().floatValue()).isEqualTo(1f);
    }

    @Test
    void outOfRangeReadingsMakeTheirModalityAbsentInTheWindowsThatHoldThem(@TempDir Path root) throws Exception {
        Path dir = dataset(root);
        Path f = dir.resolve("HuGaDB_v1_various_01_00.txt");
        // sample 5 (file line 10), acc_rs_y (column 7): 507 -> 91092, a glitch like those in the published files
        Files.writeString(f, Files.readString(f).replace("\t507\t", "\t91092\t"));
        DataSplits s = new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0);
        WindowDataset tr = s.train();
        // windows start at 0, 2, 4, 6: those starting at 2 and 4 hold sample 5
        assertThat(tr.presence().getColumn(2).toFloatVector()).containsExactly(1f, 0f, 0f, 1f);
        assertThat(tr.presence().getColumn(3).toFloatVector()).containsExactly(1f, 1f, 1f, 1f);
        assertThat(tr.data(2).slice(1).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(2).getFloat(0, 1, 1)).isEqualTo(107f);
        assertThat(tr.labels()).containsExactly(0, WindowBatch.UNLABELLED, 1, 1);
        assertThat(s.description()).containsEntry("invalidReadings", 1)
                .containsEntry("invalidReadingsSeen", List.of("HuGaDB_v1_various_01_00.txt:10 acc_rs_y=91092"));
    }

    @Test
    void corruptedFlagWithoutReadmeSaysWhatIsMissing(@TempDir Path root) throws Exception {
        dataset(root);
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), true), root, 0))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("README.md").hasMessageContaining("corruptedGyroAbsent");
    }

    @Test
    void malformedLineNamesFileAndLine(@TempDir Path root) throws Exception {
        Path dir = dataset(root);
        String text = file(new int[] {1, 1, 1, 1, 1}, COLUMNS);
        String[] lines = text.split("\n");
        lines[6] = lines[6].replaceFirst("\t", "\t1x"); // file line 7
        Path bad = dir.resolve("HuGaDB_v1_walking_01_01.txt");
        Files.writeString(bad, String.join("\n", lines) + "\n");
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(bad + ":7:").hasMessageContaining("acc_rf_y");
        String orig = text.split("\n")[6];
        lines[6] = orig.substring(0, orig.lastIndexOf('\t'));
        Files.writeString(bad, String.join("\n", lines) + "\n");
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0))
                .hasMessageContaining(bad + ":7:").hasMessageContaining("expected 39 tab-separated columns").hasMessageContaining("found 38");
        lines[6] = orig.replaceAll("\t1$", "\t13");
        Files.writeString(bad, String.join("\n", lines) + "\n");
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0))
                .hasMessageContaining(bad + ":7:").hasMessageContaining("activity id 13");
    }

    @Test
    void missingColumnIsNamed(@TempDir Path root) throws Exception {
        Path dir = dataset(root);
        Path bad = dir.resolve("HuGaDB_v1_walking_01_01.txt");
        Files.writeString(bad, file(new int[] {1, 1}, COLUMNS).replace("gyro_rt_z", "gyro_rt_w"));
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(3), false), root, 0))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(bad + ":4:").hasMessageContaining("column 'gyro_rt_z' not found");
    }

    @Test
    void missingFolderTellsTheUserWhatToDo(@TempDir Path root) {
        assertThatThrownBy(() -> new HugadbProvider().load(HugadbConfig.defaults(), root, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("data.path: HuGaDB not found at " + root.resolve("hugadb") + " (data root: " + root + "). The data root is "
                        + "../shared/data by default, or set --data-root / CROSSL_DATA. Get HuGaDB v1 from its authors "
                        + "(github romanchereshnev/HuGaDB) and place the HuGaDB_v1_*.txt or .txt.gz files (and their README.md) there.");
    }

    @Test
    void emptyFolderAndUnknownSubjectsAreReported(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("hugadb"));
        assertThatThrownBy(() -> new HugadbProvider().load(HugadbConfig.defaults(), root, 0))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("HuGaDB recordings");
        dataset(root);
        assertThatThrownBy(() -> new HugadbProvider().load(config(List.of(1), List.of(2), List.of(4), false), root, 0))
                .isInstanceOf(ConfigException.class).hasMessageContaining("testSubjects").hasMessageContaining("[4]")
                .hasMessageContaining("participants found: [1, 2, 3]");
    }

    @Test
    void configDefaultsAndValidation() {
        HugadbConfig d = HugadbConfig.defaults();
        assertThat(d.path()).isEqualTo("hugadb");
        assertThat(d.protocol()).isEqualTo("hugadb-right6");
        assertThat(d.positions()).containsExactly("rf", "rs", "rt");
        assertThat(d.sensors()).containsExactly("acc", "gyro");
        assertThat(d.emg()).isFalse();
        assertThat(d.window()).isEqualTo(128);
        assertThat(d.stride()).isEqualTo(64);
        assertThat(d.samplingRateHz()).isEqualTo(58.8);
        assertThat(d.trainSubjects()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(d.validationSubjects()).containsExactly(13, 14);
        assertThat(d.testSubjects()).containsExactly(15, 16, 17, 18);
        assertThat(d.corruptedGyroAbsent()).isFalse();
        HugadbConfig full = HugadbConfig.forProtocol("hugadb-full");
        assertThat(full.positions()).hasSize(6);
        assertThat(full.emg()).isTrue();
        assertThat(key(() -> HugadbConfig.forProtocol("pamap2"))).isEqualTo("protocol");
        assertThat(key(() -> new HugadbConfig(null, null, List.of("rf", "xx"), null, null, null, null, null, null, null, null, null, null, null))).isEqualTo("positions");
        assertThat(key(() -> new HugadbConfig(null, null, null, List.of("mag"), null, null, null, null, null, null, null, null, null, null))).isEqualTo("sensors");
        assertThat(key(() -> new HugadbConfig(null, null, null, null, null, 0, null, null, null, null, null, null, null, null))).isEqualTo("window");
        assertThat(key(() -> new HugadbConfig(null, null, null, null, null, null, 0, null, null, null, null, null, null, null))).isEqualTo("stride");
        assertThat(key(() -> new HugadbConfig(null, null, null, null, null, null, null, null, null, List.of(12), null, null, null, null))).isEqualTo("validationSubjects");
        assertThat(key(() -> new HugadbConfig(null, null, null, null, null, null, null, null, List.of(), null, null, null, null, null))).isEqualTo("trainSubjects");
    }

    private static String key(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e.key();
        }
        throw new AssertionError("no ConfigException");
    }
}
