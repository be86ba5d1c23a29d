package org.crossl.datasets.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crossl.datasets.recordings.CsvFolders.config;
import static org.crossl.datasets.recordings.CsvFolders.csv;
import static org.crossl.datasets.recordings.CsvFolders.gz;
import static org.crossl.datasets.recordings.CsvFolders.ramp;
import static org.crossl.datasets.recordings.CsvFolders.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input files and bad configs: every message names the file and line (or the config key) and the problem. */
class RecordingErrorsTest {

    static final List<RecordingsConfig.Modality> ACC = List.of(RecordingsConfig.declared("acc", 10));

    static DataSplits load(Path root, RecordingsConfig c) {
        return new RecordingsProvider().load(c, root, 0);
    }

    /** Writes rec/1/a/acc.csv and returns it. */
    static Path acc(Path root, String text) throws Exception {
        return write(root.resolve("rec/1/a/acc.csv"), text);
    }

    static RecordingsConfig plain() {
        return config(ACC, null, 1.0, null, null);
    }

    @Test
    void textWhereANumberBelongs(@TempDir Path root) throws Exception {
        Path f = acc(root, "x,y,z\n1,2,3\n1,abc,3\n");
        assertThatThrownBy(() -> load(root, plain())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":3: column 2 ('y') holds 'abc', which is not a number");
        Path g = acc(root, "x,y,z\n1,2,3\n1,2,\"3\n");
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining(g + ":3: column 3 ('z') holds '\"3', which is not a number");
        acc(root, "x,y,z\n1,2,3\n1,2,0x1p3\n");
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining(":3: column 3 ('z') holds '0x1p3'");
    }

    @Test
    void wrongNumberOfFields(@TempDir Path root) throws Exception {
        Path f = acc(root, "x,y,z\n1,2,3\n\n1,2\n");
        assertThatThrownBy(() -> load(root, plain())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":4: expected 3 fields separated by ',' (as in the header on line 1), found 2");
        acc(root, "x,y,z\n1,2,3,4\n");
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining(f + ":2: expected 3 fields").hasMessageContaining("found 4");
    }

    @Test
    void emptyAndHeaderOnlyFiles(@TempDir Path root) throws Exception {
        Path f = acc(root, "");
        assertThatThrownBy(() -> load(root, plain())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":1: empty file: expected a header line naming the columns");
        acc(root, "x,y,z\n");
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining(f + ":1: only a header line, no data rows");
        // with explicit channels the default-channel header read is skipped: the same errors
        RecordingsConfig explicit = config(List.of(new RecordingsConfig.Modality("acc", null, List.of("x"), null, 10.0, null, null)),
                null, 1.0, null, null);
        acc(root, "\n  \n");
        assertThatThrownBy(() -> load(root, explicit)).hasMessageContaining(f + ":1: empty file");
    }

    @Test
    void truncatedGzip(@TempDir Path root) throws Exception {
        Path full = gz(root.resolve("full.csv.gz"), csv("x,y,z", 20_000, i -> i + "," + (i * 3) + "," + (i * 7)));
        byte[] bytes = Files.readAllBytes(full);
        Path f = root.resolve("rec/1/a/acc.csv.gz");
        Files.createDirectories(f.getParent());
        Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> load(root, plain()));
        assertThat(e).isInstanceOf(DataFormatException.class).hasMessageContaining("the gzip data ends early (truncated file)");
        Matcher m = Pattern.compile(Pattern.quote(f.toString()) + ":(\\d+): the gzip data ends early").matcher(e.getMessage());
        assertThat(m.find()).as(e.getMessage()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1000, 20_001);
    }

    @Test
    void headerWithoutAConfiguredColumn(@TempDir Path root) throws Exception {
        Path f = acc(root, "x,y,z\n1,2,3\n");
        RecordingsConfig c = config(List.of(new RecordingsConfig.Modality("acc", null, List.of("x", "y", "w"), null, 10.0, null, null)),
                null, 1.0, null, null);
        assertThatThrownBy(() -> load(root, c)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":1: the header has no column 'w' (channel 3 of modality 'acc'); its columns are [x, y, z]");
        RecordingsConfig t = config(List.of(RecordingsConfig.timestamped("acc", "time", "ms")), null, 1.0, null, null);
        assertThatThrownBy(() -> load(root, t)).hasMessageContaining(f + ":1: the header has no column 'time' (the timestamp column)");
    }

    @Test
    void timestampsMustIncrease(@TempDir Path root) throws Exception {
        Path f = acc(root, "t,x\n0,1\n100,2\n100,3\n");
        RecordingsConfig c = config(List.of(RecordingsConfig.timestamped("acc", "t", "ms")), null, 1.0, null, null);
        assertThatThrownBy(() -> load(root, c)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":4: timestamp 100 (column 't') is not after the previous one, 100 on line 3; timestamps must increase");
        acc(root, "t,x\n0,1\nNaN,2\n");
        assertThatThrownBy(() -> load(root, c)).hasMessageContaining(f + ":3: timestamp column 't' holds 'NaN'");
    }

    @Test
    void nonFiniteValuesFailOnRequest(@TempDir Path root) throws Exception {
        Path f = acc(root, "x,y\n1,2\n1,NaN\n");
        RecordingsConfig fail = new RecordingsConfig("rec", null, null, ACC, null, 1.0, null, null, "fail", null, null);
        assertThatThrownBy(() -> load(root, fail)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":3: column 2 ('y') holds 'NaN', not a finite number (nonFinite: fail");
        acc(root, "x,y\n1,2\n1,2\n,2\n");
        assertThatThrownBy(() -> load(root, fail)).hasMessageContaining(f + ":4: column 1 ('x') holds an empty value, not a finite number");
    }

    @Test
    void nonFiniteValuesMakeTheirModalityAbsentWhereTheyAre(@TempDir Path root) throws Exception {
        // sample 25 of acc is NaN, sample 71 is -inf, sample 90 is empty: windows [10, 30), [20, 40), [70, 90) (and [60, 80)) lose acc
        write(root.resolve("rec/1/a/acc.csv"), csv("x,y", 100, i -> i + "," + (i == 25 ? "NaN" : i == 71 ? "-inf" : i == 90 ? "" : "0")));
        write(root.resolve("rec/1/a/ecg.csv"), ramp(100));
        List<RecordingsConfig.Modality> mods = List.of(RecordingsConfig.declared("acc", 10), RecordingsConfig.declared("ecg", 10));
        DataSplits s = load(root, config(mods, null, 2.0, 1.0, null));
        var tr = s.train();
        assertThat(tr.size()).isEqualTo(9);
        StringBuilder presence = new StringBuilder();
        for (int w = 0; w < tr.size(); w++) {
            presence.append((int) tr.presence().getFloat(w, 0));
            assertThat(tr.presence().getFloat(w, 1)).isEqualTo(1f);
        }
        // windows start at 0 .. 8 s (samples 10·k .. 10·k + 19): 25 in k = 1, 2; 71 in k = 6, 7; 90 in k = 8 (and 7)
        assertThat(presence.toString()).isEqualTo("100111000");
        assertThat(tr.data(0).slice(1).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(0).getFloat(3, 0, 0)).isEqualTo(30f);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> mods2 = (Map<String, Map<String, Object>>) s.description().get("modalities");
        assertThat(mods2.get("acc")).containsEntry("nonFiniteSamples", 3);
        assertThat(s.description()).containsEntry("nonFinite", "absent")
                .containsEntry("absentFromNonFinite", Map.of("train", 5, "validation", 0, "test", 0));
    }

    @Test
    void valuesTooLargeForFloat32AreNonFinite(@TempDir Path root) throws Exception {
        write(root.resolve("rec/1/a/acc.csv"), csv("x", 20, i -> i == 5 ? "1e39" : i == 6 ? "-Infinity" : "0.000000000000000000000012345678901234567"));
        DataSplits s = load(root, config(ACC, null, 1.0, 1.0, null));
        assertThat(s.train().presence().getFloat(0, 0)).isZero();
        assertThat(s.train().presence().getFloat(1, 0)).isEqualTo(1f);
        assertThat(s.train().data(0).getFloat(1, 0, 0)).isEqualTo((float) 1.2345678901234567e-23);
    }

    @Test
    void labelSegmentProblems(@TempDir Path root) throws Exception {
        acc(root, ramp(100));
        Path f = write(root.resolve("rec/1/a/labels.csv"), "start,end,label\n0,3,a\n5,6,b\n2,4,c\n");
        RecordingsConfig c = config(ACC, RecordingsConfig.labelFile("labels.csv"), 2.0, null, null);
        assertThatThrownBy(() -> load(root, c)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ": label segments on lines 2 and 4 overlap: [0, 3) and [2, 4)");
        write(f, "start,end,label\n0,3,a\n3,1,b\n");
        assertThatThrownBy(() -> load(root, c)).hasMessageContaining(f + ":3: the segment ends (1) before it starts (3)");
        write(f, "start,end,label\n0,3,a\nzero,1,b\n");
        assertThatThrownBy(() -> load(root, c)).hasMessageContaining(f + ":3: column start holds 'zero', which is not a number");
        write(f, "start,end,label\n0,3\n");
        assertThatThrownBy(() -> load(root, c)).hasMessageContaining(f + ":2: expected 3 fields");
        write(f, "from,to,label\n0,3,a\n");
        assertThatThrownBy(() -> load(root, c)).hasMessageContaining(f + ":1: the header must name the columns start, end and label");
        write(f, "start,end,label\n0,3,walk\n3,4,jump\n");
        RecordingsConfig known = config(ACC, new RecordingsConfig.Labels("labels.csv", null, null, List.of("walk"), null, null, null, null),
                2.0, null, null);
        assertThatThrownBy(() -> load(root, known)).hasMessageContaining(f + ":3: label 'jump' is not one of the classes [walk]");
    }

    @Test
    void unknownLabelInAColumn(@TempDir Path root) throws Exception {
        Path f = acc(root, csv("x,act", 20, i -> i + "," + (i < 10 ? "walk" : "jump")));
        RecordingsConfig c = config(ACC, new RecordingsConfig.Labels(null, "act", "acc", List.of("walk"), "fail", null, null, null),
                1.0, null, null);
        assertThatThrownBy(() -> load(root, c)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":12: label 'jump' (column 'act') is not one of the classes [walk]");
    }

    @Test
    void folderAndLayoutProblems(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> load(root, plain())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("recordings folder not found at " + root.resolve("rec")).hasMessageContaining("--data-root");
        Files.createDirectories(root.resolve("rec/only-one-level"));
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining("no recording folders matching layout '{subject}/{session}'");
        write(root.resolve("rec/alice/a/acc.csv"), ramp(20));
        assertThatThrownBy(() -> load(root, plain())).hasMessageContaining(root.resolve("rec/alice/a")
                + ": the subject 'alice' (from layout '{subject}/{session}') is not an integer id");
    }

    @Test
    void modalityWithoutAnyFileIsAConfigError(@TempDir Path root) throws Exception {
        acc(root, ramp(20));
        RecordingsConfig c = config(List.of(RecordingsConfig.declared("acc", 10), RecordingsConfig.declared("gyro", 10)), null, 1.0, null, null);
        assertThatThrownBy(() -> load(root, c)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("modalities[1]"))
                .hasMessageContaining("modality 'gyro' has no data").hasMessageContaining("gyro.csv");
    }

    @Test
    void loadTimeConfigErrors(@TempDir Path root) throws Exception {
        acc(root, ramp(20));
        assertThatThrownBy(() -> load(root, config(ACC, null, 0.01, null, null))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("windowSeconds"))
                .hasMessageContaining("holds no sample of modality 'acc'");
        assertThatThrownBy(() -> load(root, config(ACC, null, 1.0, null, new SplitConfig(null, null, null, 3, 0, null, null))))
                .isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("split.folds"));
        RecordingsConfig listed = new RecordingsConfig("rec", null, List.of(new RecordingsConfig.Recording("nope", 1, null)), ACC, null,
                1.0, null, null, null, null, null);
        assertThatThrownBy(() -> load(root, listed)).satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("recordings[0].path"));
    }

    @Test
    void configValidation() {
        var acc = RecordingsConfig.declared("acc", 10);
        assertKey(() -> new RecordingsConfig(null, null, null, List.of(acc), null, 1.0, null, null, null, null, null), "path");
        assertKey(() -> new RecordingsConfig("r", null, null, List.of(acc), null, null, null, null, null, null, null), "windowSeconds");
        assertKey(() -> new RecordingsConfig("r", null, null, List.of(acc), null, 1.0, -1.0, null, null, null, null), "strideSeconds");
        assertKey(() -> new RecordingsConfig("r", null, null, List.of(acc), null, 1.0, null, 1.0, null, null, null), "maxGapFactor");
        assertKey(() -> new RecordingsConfig("r", null, null, List.of(acc), null, 1.0, null, null, "zero", null, null), "nonFinite");
        assertKey(() -> new RecordingsConfig("r", null, null, List.of(acc), null, 1.0, null, null, null, "ab", null), "delimiter");
        assertKey(() -> new RecordingsConfig("r", null, null, null, null, 1.0, null, null, null, null, null), "modalities");
        assertKey(() -> new RecordingsConfig("r", "{session}", null, List.of(acc), null, 1.0, null, null, null, null, null), "layout");
        assertKey(() -> new RecordingsConfig("r", "{subject}{session}", null, List.of(acc), null, 1.0, null, null, null, null, null), "layout");
        assertKey(() -> new RecordingsConfig("r", "{subject}/{day}", null, List.of(acc), null, 1.0, null, null, null, null, null), "layout");
        assertKey(() -> new RecordingsConfig("r", "{subject}", List.of(new RecordingsConfig.Recording("a", 1, null)), List.of(acc), null,
                1.0, null, null, null, null, null), "recordings");
        assertKey(() -> new RecordingsConfig("r", null, List.of(new RecordingsConfig.Recording("a", null, null)), List.of(acc), null,
                1.0, null, null, null, null, null), "recordings[0].subject");
        assertKey(() -> cfg(List.of(acc, RecordingsConfig.declared("acc", 5)), null), "modalities[1].name");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("a", null, null, null, 10.0, "t", null)), null), "modalities[0].timestampColumn");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("a", null, null, null, null, null, null)), null), "modalities[0]");
        assertKey(() -> cfg(List.of(RecordingsConfig.timestamped("a", "t", "min")), null), "modalities[0].timestampUnit");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("a", "a.csv.gz", null, null, 10.0, null, null)), null), "modalities[0].file");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("a", "imu.csv", List.of("x"), null, 10.0, null, null),
                new RecordingsConfig.Modality("b", "imu.csv", null, null, 10.0, null, null)), null), "modalities[1].channels");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("a", "imu.csv", List.of("x"), null, 10.0, null, null),
                new RecordingsConfig.Modality("b", "imu.csv", List.of("y"), null, 20.0, null, null)), null), "modalities[1]");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels("l.csv", "act", "acc", null, null, null, null, null)), "labels");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels(null, null, null, null, null, null, null, null)), "labels");
        assertKey(() -> cfg(List.of(acc), RecordingsConfig.labelColumn("act", "ecg")), "labels.modality");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels(null, "act", null, null, null, null, null, null)), "labels.modality");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels("l.csv", null, null, null, null, "mode", null, null)), "labels.policy");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels("l.csv", null, null, null, null, null, 0.5, null)), "labels.minFraction");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels("l.csv", null, null, null, "fail", null, null, null)), "labels.unknownLabels");
        assertKey(() -> cfg(List.of(acc), new RecordingsConfig.Labels("l.csv", null, null, List.of("a", "a"), null, null, null, null)), "labels.classes");
        assertKey(() -> cfg(List.of(RecordingsConfig.timestamped("a", "t", "ms"), RecordingsConfig.timestamped("b", "t", "us")),
                RecordingsConfig.labelFile("l.csv")), "labels.timeUnit");
        assertKey(() -> cfg(List.of(new RecordingsConfig.Modality("acc", null, List.of("x", "act"), null, 10.0, null, null)),
                RecordingsConfig.labelColumn("act", "acc")), "labels.column");

        RecordingsConfig d = cfg(List.of(acc), RecordingsConfig.labelFile("labels.csv"));
        assertThat(d.layout()).isEqualTo("{subject}/{session}");
        assertThat(d.strideSeconds()).isEqualTo(0.5);
        assertThat(d.maxGapFactor()).isEqualTo(3.0);
        assertThat(d.nonFinite()).isEqualTo("absent");
        assertThat(d.delimiter()).isEqualTo(",");
        assertThat(d.split()).isEqualTo(SplitConfig.defaults());
        assertThat(d.modalities().get(0).file()).isEqualTo("acc.csv");
        assertThat(d.modalities().get(0).device()).isEqualTo("acc");
        assertThat(d.labels().policy()).isEqualTo("uniform");
        assertThat(d.labels().timeUnit()).isEqualTo("s");
        assertThat(d.labels().unknownLabels()).isNull();
        assertThat(new RecordingsConfig("r", null, null, List.of(acc), null, 1.0, null, null, null, "tab", null).delimiterByte()).isEqualTo((byte) '\t');
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        var names = new java.util.HashMap<String, Object>();
        for (var p : java.util.ServiceLoader.load(org.crossl.api.spi.DatasetProvider.class)) {
            names.put(p.name(), p);
        }
        assertThat(names).containsKey("recordings");
        assertThat(((org.crossl.api.spi.DatasetProvider<?>) names.get("recordings")).configType()).isEqualTo(RecordingsConfig.class);
    }

    static RecordingsConfig cfg(List<RecordingsConfig.Modality> mods, RecordingsConfig.Labels labels) {
        return new RecordingsConfig("r", null, null, mods, labels, 1.0, null, null, null, null, null);
    }

    static void assertKey(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String key) {
        assertThatThrownBy(call).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }
}
