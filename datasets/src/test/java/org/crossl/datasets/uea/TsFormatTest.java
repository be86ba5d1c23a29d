package org.crossl.datasets.uea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic .ts files: missing values, malformed lines, unsupported variants, config errors. */
class TsFormatTest {

    static final String HEADER = """
            # a synthetic problem
            @problemName Toy
            @timeStamps false
            @missing true
            @univariate false
            @dimensions 3
            @equalLength true
            @seriesLength 4
            @classLabel true up down
            @data
            """;

    static final String TRAIN = HEADER + """
            1,2,3,4:5,6,7,8:9,10,11,12:up
            1,?,3,4:5,6,7,8:9,10,11,12:down
            1,2,3,4:5,6,7,8:NaN,10,11,12:up
            0,0,0,0:0,0,0,0:0,0,0,0:down
            """;

    static final String TEST = HEADER + """
            4,3,2,1:8,7,6,5:12,11,10,9:down
            """;

    static UeaConfig toy(Double validation) {
        return new UeaConfig("toy", "Toy", List.of(new UeaConfig.Modality("a", List.of(0, 1), null, null),
                new UeaConfig.Modality("b", List.of(2), "dev", 5.0)), null, validation, null, null);
    }

    static Path write(Path dir, String name, String text) throws Exception {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void missingValuesMarkTheModalityAbsentAndZeroIt(@TempDir Path root) throws Exception {
        write(root.resolve("toy"), "Toy_TRAIN.ts", TRAIN);
        Path gz = root.resolve("toy/Toy_TEST.ts.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(TEST.getBytes(StandardCharsets.UTF_8));
        }
        DataSplits s = new UeaProvider().load(toy(0.0), root, 0);
        assertThat(s.validation().size()).isZero();
        assertThat(s.validation().data(0).shape()).containsExactly(0, 4, 2);
        var tr = s.train();
        assertThat(tr.size()).isEqualTo(4);
        assertThat(tr.classNames()).containsExactly("up", "down");
        assertThat(tr.labels()).containsExactly(0, 1, 0, 1);
        assertThat(tr.subjects()).containsExactly(0, 1, 2, 3);
        // case 0: time-major, channels last: [t=1] = (dim0, dim1) = (2, 6)
        assertThat(tr.data(0).getFloat(0, 1, 0)).isEqualTo(2f);
        assertThat(tr.data(0).getFloat(0, 1, 1)).isEqualTo(6f);
        assertThat(tr.data(1).getFloat(0, 3, 0)).isEqualTo(12f);
        // case 1: '?' in dimension 1 -> modality a absent and zeroed, b present
        assertThat(tr.presence().getFloat(1, 0)).isZero();
        assertThat(tr.presence().getFloat(1, 1)).isEqualTo(1f);
        assertThat(tr.data(0).slice(1).sumNumber().doubleValue()).isZero();
        assertThat(tr.data(1).getFloat(1, 0, 0)).isEqualTo(9f);
        // case 2: NaN in dimension 2 -> modality b absent
        assertThat(tr.presence().getFloat(2, 0)).isEqualTo(1f);
        assertThat(tr.presence().getFloat(2, 1)).isZero();
        assertThat(tr.data(1).slice(2).sumNumber().doubleValue()).isZero();
        assertThat(tr.modalities().get(1).samplingRateHz()).isEqualTo(5.0);
        assertThat(tr.modalities().get(1).device()).isEqualTo("dev");
        assertThat(tr.modalities().get(0).device()).isEqualTo("a");
        // test split from the .gz file
        assertThat(s.test().size()).isEqualTo(1);
        assertThat(s.test().subjects()).containsExactly(UeaProvider.TEST_SUBJECT_OFFSET);
        assertThat(s.test().labels()).containsExactly(1);
        assertThat(s.description()).containsEntry("absentModalitiesFromMissingValues", java.util.Map.of("train", 2, "validation", 0, "test", 0));
    }

    @Test
    void malformedLineNamesFileAndLine(@TempDir Path root) throws Exception {
        Path f = write(root, "Bad_TRAIN.ts", HEADER + "1,2,3,4:5,6,7,8:9,10,11,12:up\n1,2,x,4:5,6,7,8:9,10,11,12:up\n");
        assertThatThrownBy(() -> TsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":12:").hasMessageContaining("'x' is not a number");
        Path g = write(root, "Bad2_TRAIN.ts", HEADER + "1,2,3,4:5,6,7,8:up\n");
        assertThatThrownBy(() -> TsReader.read(g)).hasMessageContaining(g + ":11:").hasMessageContaining("expected 3 dimensions");
        Path h = write(root, "Bad3_TRAIN.ts", HEADER + "1,2,3,4:5,6,7,8:9,10,11,12:sideways\n");
        assertThatThrownBy(() -> TsReader.read(h)).hasMessageContaining(h + ":11:").hasMessageContaining("'sideways' is not declared");
        Path i = write(root, "Bad4_TRAIN.ts", "@problemName X\n@classLabel true a\n");
        assertThatThrownBy(() -> TsReader.read(i)).hasMessageContaining("no @data");
    }

    @Test
    void unequalLengthsNeedTheHeaderToSaySo(@TempDir Path root) throws Exception {
        Path f = write(root, "U_TRAIN.ts", HEADER + "1,2,3,4:5,6,7,8:9,10,11,12:up\n1,2,3:5,6,7:9,10,11:up\n");
        assertThatThrownBy(() -> TsReader.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f + ":12:").hasMessageContaining("dimension 0 has 3 values, expected 4 (@seriesLength)")
                .hasMessageContaining("must say @equalLength false");
        String unequal = HEADER.replace("@equalLength true", "@equalLength false").replace("@seriesLength 4\n", "");
        Path g = write(root, "V_TRAIN.ts", unequal + "1,2,3:5,6,7:9,10,11:up\n1,2:3,4,5:6,7:up\n");
        assertThatThrownBy(() -> TsReader.read(g)).hasMessageContaining(g + ":11:")
                .hasMessageContaining("the dimensions of one case must have equal lengths: dimension 1 has 3 values, expected 2");
        Path h = write(root, "W_TRAIN.ts", unequal + "1,2,3:5,6,7:9,10,11:up\n:1:2:up\n");
        assertThatThrownBy(() -> TsReader.read(h)).hasMessageContaining(h + ":11:").hasMessageContaining("dimension 0 has no values");
    }

    @Test
    void unequalLengthsAreResampledPaddedOrTruncated(@TempDir Path root) throws Exception {
        String unequal = HEADER.replace("@equalLength true", "@equalLength false").replace("@seriesLength 4\n", "");
        write(root.resolve("toy"), "Toy_TRAIN.ts", unequal + "0,3:1,1:5,5:up\n0,1,2,3:4,5,6,7:8,9,10,11:down\n");
        write(root.resolve("toy"), "Toy_TEST.ts", unequal + "1,2,3,4,5,6,7:1,2,3,4,5,6,7:1,2,3,4,5,6,7:up\n");
        TsData tr = TsReader.read(root.resolve("toy/Toy_TRAIN.ts"));
        assertThat(tr.lengths()).containsExactly(2, 4);
        for (String policy : List.of("resample", "pad", "truncate")) {
            UeaConfig c = new UeaConfig("toy", "Toy", List.of(new UeaConfig.Modality("a", List.of(0, 1), null, null)), null, 0.0, policy, null);
            DataSplits s = new UeaProvider().load(c, root, 0);
            int t = s.train().length(0);
            float[] first = s.train().data(0).slice(0).getColumn(0).toFloatVector(); // dimension 0 of case 0
            switch (policy) {
                case "resample" -> {
                    assertThat(t).isEqualTo(7);
                    assertThat(first).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f, 3f);
                }
                case "pad" -> {
                    assertThat(t).isEqualTo(7);
                    assertThat(first).containsExactly(0f, 3f, 0f, 0f, 0f, 0f, 0f);
                    assertThat(s.test().data(0).getFloat(0, 6, 0)).isEqualTo(7f);
                }
                default -> {
                    assertThat(t).isEqualTo(2);
                    assertThat(first).containsExactly(0f, 3f);
                    assertThat(s.test().data(0).slice(0).getColumn(0).toFloatVector()).containsExactly(1f, 2f);
                }
            }
            assertThat(s.description().get("casesResized")).isEqualTo(2);
        }
        UeaConfig fixed = new UeaConfig("toy", "Toy", null, null, 0.0, "resample", 3);
        DataSplits s = new UeaProvider().load(fixed, root, 0);
        assertThat(s.train().data(0).slice(1).getColumn(0).toFloatVector()).containsExactly(0f, 1.5f, 3f);
        assertThatThrownBy(() -> new UeaConfig("toy", null, null, null, null, "stretch", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unequalLength: unknown policy 'stretch'; known: [resample, pad, truncate]");
    }

    @Test
    void missingFolderOrFileTellsTheUserWhatToDo(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> new UeaProvider().load(UeaConfig.of("uea/Nope"), root, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("UEA problem 'Nope' not found at " + root.resolve("uea/Nope"))
                .hasMessageContaining("(data root: " + root + ")")
                .hasMessageContaining("--data-root / CROSSL_DATA");
        write(root.resolve("toy"), "Toy_TRAIN.ts", TRAIN);
        assertThatThrownBy(() -> new UeaProvider().load(toy(null), root, 0))
                .hasMessageContaining(root.resolve("toy/Toy_TEST.ts").toString()).hasMessageContaining("TEST file");
    }

    @Test
    void dimensionOutOfRangeIsAConfigError(@TempDir Path root) throws Exception {
        write(root.resolve("toy"), "Toy_TRAIN.ts", TRAIN);
        write(root.resolve("toy"), "Toy_TEST.ts", TEST);
        UeaConfig c = new UeaConfig("toy", "Toy", List.of(new UeaConfig.Modality("a", List.of(0, 3), null, null)), null, null, null, null);
        assertThatThrownBy(() -> new UeaProvider().load(c, root, 0)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("modalities[0].dimensions"))
                .hasMessageContaining("dimension 3 does not exist");
    }

    @Test
    void configDefaultsAndValidation() {
        UeaConfig c = UeaConfig.of("uea/BasicMotions/");
        assertThat(c.problem()).isEqualTo("BasicMotions");
        assertThat(c.samplingRateHz()).isEqualTo(1.0);
        assertThat(c.validationFraction()).isEqualTo(0.2);
        assertThat(c.modalities()).isNull();
        assertThatThrownBy(() -> new UeaConfig(null, null, null, null, null, null, null)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("path"));
        assertThatThrownBy(() -> new UeaConfig("x", null, null, null, 1.0, null, null))
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("validationFraction"));
        assertThatThrownBy(() -> new UeaConfig("x", null, null, -1.0, null, null, null))
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("samplingRateHz"));
        assertThatThrownBy(() -> new UeaConfig("x", null, List.of(new UeaConfig.Modality("a", List.of(0), null, null),
                new UeaConfig.Modality("a", List.of(1), null, null)), null, null, null, null))
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("modalities[1].name"));
        assertThatThrownBy(() -> new UeaConfig("x", null, List.of(new UeaConfig.Modality("a", List.of(), null, null)), null, null, null, null))
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("modalities[0].dimensions"));
    }

    @Test
    void stratifiedSplitKeepsEveryClassInTraining() {
        int[] labels = {0, 0, 0, 0, 0, 1, 1, 2, -1, -1};
        int[][] s = UeaProvider.stratifiedSplit(labels, 0.2, 3);
        // class 0: round(1.0) = 1; class 1: max(round(0.4), 1) = 1; class 2: single case stays; unlabelled: 1
        assertThat(s[1]).hasSize(3);
        assertThat(s[0]).hasSize(7);
        assertThat(s[0]).contains(7);
        assertThat(UeaProvider.stratifiedSplit(labels, 0.2, 3)[1]).containsExactly(s[1]);
    }
}
