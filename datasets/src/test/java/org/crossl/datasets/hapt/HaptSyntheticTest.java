package org.crossl.datasets.hapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.crossl.datasets.window.LabelPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAPT's layout on small files written here: exact labels, absent modalities and every bad input. */
class HaptSyntheticTest {

    @TempDir
    Path dir;

    /** n samples; value of sample i (0-based), channel c = i + c / 10. */
    static String samples(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i).append(' ').append(i + 0.1).append(' ').append(i + 0.2).append('\n');
        }
        return sb.toString();
    }

    void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(p, text);
        }
    }

    /** Users 1, 2, 3 with one experiment each of 40 samples; windows 8, stride 4. */
    void layout() throws IOException {
        for (int u = 1; u <= 3; u++) {
            write("raw/acc_exp0" + u + "_user0" + u + ".txt.gz", samples(40));
            write("raw/gyro_exp0" + u + "_user0" + u + ".txt", samples(40));
        }
        // 1-based inclusive: samples 1..8 walking (0-based 0..7), 9..12 stand_to_sit (8..11), 13..30 sitting (12..29)
        write("labels.txt", "1 1 1 1 8\n1 1 7 9 12\n1 1 4 13 30\n2 2 2 5 40\n3 3 6 1 40\n");
    }

    HaptConfig config(SplitConfig split, String classes, LabelPolicy policy) {
        return new HaptConfig(".", null, classes, 8, 4, null, policy, split);
    }

    static final SplitConfig ONE_EACH = SplitConfig.explicit(List.of(1), List.of(2), List.of(3));

    @Test
    void segmentsAreOneBasedAndInclusive() throws IOException {
        layout();
        DataSplits s = new HaptProvider().load(config(ONE_EACH, null, null), dir, 0);
        // user 1: windows start at 0,4,...,32 (9 windows)
        assertThat(s.train().size()).isEqualTo(9);
        int[] labels = s.train().labels();
        int u = WindowBatch.UNLABELLED;
        // [0,8) walking; [4,12) and [8,16) touch the transition; [12,20),[16,24),[20,28) sitting; from [24,32) on, samples 30+ are unlabelled
        assertThat(labels).containsExactly(0, u, u, 3, 3, 3, u, u, u);
        assertThat(s.train().data(0).getDouble(1, 0, 1)).isEqualTo(4.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.validation().labels()).containsExactly(u, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(s.test().labels()).containsOnly(5);
        assertThat(s.train().subjects()).containsOnly(1);
    }

    @Test
    void allClassesKeepTransitionsAndMajorityPolicyLabelsMixedWindows() throws IOException {
        layout();
        DataSplits all = new HaptProvider().load(config(ONE_EACH, "all", null), dir, 0);
        assertThat(all.train().classNames()).hasSize(12);
        assertThat(all.train().label(2)).isEqualTo(WindowBatch.UNLABELLED); // [8,12) stand_to_sit + [12,16) sitting
        DataSplits allMajority = new HaptProvider().load(config(ONE_EACH, "all", new LabelPolicy("majority", 0.5)), dir, 0);
        assertThat(allMajority.train().label(2)).isEqualTo(3); // a 4/4 tie between ids 6 and 3 goes to the smaller
        DataSplits maj = new HaptProvider().load(config(ONE_EACH, null, new LabelPolicy("majority", 0.5)), dir, 0);
        // [4,12): 4 walking + 4 transition (unlabelled under basic) -> walking covers 0.5
        assertThat(maj.train().label(1)).isEqualTo(0);
        assertThat(maj.train().label(2)).isEqualTo(3); // [8,16): 4 sitting of 8
    }

    @Test
    void missingGyroFileMakesGyroAbsentAndNonFiniteReadingsAbsentOnlyWhereTheyAre() throws IOException {
        layout();
        Files.delete(dir.resolve("raw/gyro_exp02_user02.txt"));
        String acc = samples(40).replace("10 10.1 10.2\n", "10 NaN 10.2\n");
        write("raw/acc_exp01_user01.txt.gz", acc);
        DataSplits s = new HaptProvider().load(config(ONE_EACH, null, null), dir, 0);
        assertThat(s.validation().presence().getColumn(1).sumNumber().doubleValue()).isZero();
        assertThat(s.validation().presence().getColumn(0).minNumber().doubleValue()).isEqualTo(1.0);
        // sample 10 lies in windows [4,12) and [8,16): acc absent there only
        float[] accPresent = s.train().presence().getColumn(0).toFloatVector();
        assertThat(accPresent).containsExactly(1, 0, 0, 1, 1, 1, 1, 1, 1);
        assertThat(s.train().data(0).getDouble(1, 0, 0)).isZero();
        assertThat(s.description().get("windowsWithNonFiniteAbsent").toString()).contains("train=2");
        assertThat(s.description().get("experimentsWithoutGyroFile")).isEqualTo(1);
    }

    @Test
    void defaultSplitNeedsTheOfficialUsers() throws IOException {
        layout();
        assertThatThrownBy(() -> new HaptProvider().load(new HaptConfig(".", null, null, 8, 4, null, null, null), dir, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("split.validation").hasMessageContaining("no data for subjects [26, 27, 28, 29, 30]");
    }

    @Test
    void overlappingSegmentsAreAnErrorNamingBothLines() throws IOException {
        layout();
        write("labels.txt", "1 1 1 1 8\n1 1 4 8 30\n");
        assertThatThrownBy(() -> new HaptProvider().load(config(ONE_EACH, null, null), dir, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("labels.txt:2").hasMessageContaining("overlaps segment 1-8 on line 1");
    }

    @Test
    void badLabelLines() throws IOException {
        layout();
        for (String[] c : new String[][] {
            {"1 1 1 1 8\n1 1 13 9 12\n", "labels.txt:2", "unknown activity id 13"},
            {"1 1 1 1 8\n1 1 4 x 12\n", "labels.txt:2", "field 4 is not an integer"},
            {"1 1 1 1\n", "labels.txt:1", "expected 5 fields"},
            {"1 1 1 9 8\n", "labels.txt:1", "starts at sample 9 after its end 8"},
            {"1 1 1 1 41\n", "labels.txt:1", "ends after the last sample of experiment 1 (40 samples"},
            {"1 2 1 1 8\n", "labels.txt:1", "belongs to user 2 here but its raw file acc_exp01_user01.txt.gz names user 1"},
            {"9 9 1 1 8\n", "labels.txt:1", "experiment 9 has labels but no acc_exp09_user09"},
        }) {
            write("labels.txt", c[0]);
            assertThatThrownBy(() -> new HaptProvider().load(config(ONE_EACH, null, null), dir, 0))
                    .as(c[0]).isInstanceOf(DataFormatException.class).hasMessageContaining(c[1]).hasMessageContaining(c[2]);
        }
    }

    @Test
    void badRawFiles() throws IOException {
        layout();
        String good = samples(40);
        for (String[] c : new String[][] {
            {good.replace("3 3.1 3.2\n", "3 3.1\n"), "acc_exp01_user01.txt.gz:4", "expected 3 numbers (x y z), got 2"},
            {good.replace("3 3.1 3.2\n", "3 abc 3.2\n"), "acc_exp01_user01.txt.gz:4", "field 2 is not a number"},
            {good.replace("3 3.1 3.2\n", "\n"), "acc_exp01_user01.txt.gz:4", "empty line inside the data"},
            {"", "acc_exp01_user01.txt.gz", "holds no samples"},
        }) {
            write("raw/acc_exp01_user01.txt.gz", c[0]);
            assertThatThrownBy(() -> new HaptProvider().load(config(ONE_EACH, null, null), dir, 0))
                    .as(c[2]).isInstanceOf(DataFormatException.class).hasMessageContaining(c[1]).hasMessageContaining(c[2]);
        }
        // a gzip stream cut in the middle
        write("raw/acc_exp01_user01.txt.gz", good);
        byte[] gz = Files.readAllBytes(dir.resolve("raw/acc_exp01_user01.txt.gz"));
        Files.write(dir.resolve("raw/acc_exp01_user01.txt.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> new HaptProvider().load(config(ONE_EACH, null, null), dir, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("acc_exp01_user01.txt.gz").hasMessageContaining("Unexpected end of ZLIB input stream");
    }

    @Test
    void windowsAboveTheSpillLimitAreWrittenToAMappedFileWithTheSameValues() throws IOException {
        layout();
        DataSplits heap = new HaptProvider().load(config(ONE_EACH, null, null), dir, 0);
        Path spillDir = dir.resolve("spill");
        System.setProperty("crossl.data.spillBytes", "0");
        System.setProperty("crossl.data.spillDir", spillDir.toString());
        DataSplits mapped;
        try {
            mapped = new HaptProvider().load(config(ONE_EACH, null, null), dir, 0);
        } finally {
            System.clearProperty("crossl.data.spillBytes");
            System.clearProperty("crossl.data.spillDir");
        }
        assertThat(heap.train().inMemory()).isTrue();
        assertThat(mapped.train().inMemory()).isFalse();
        for (int m = 0; m < 2; m++) {
            assertThat(mapped.train().data(m)).isEqualTo(heap.train().data(m));
            assertThat(mapped.test().data(m)).isEqualTo(heap.test().data(m));
        }
        assertThat(mapped.train().labels()).containsExactly(heap.train().labels());
        try (var files = Files.list(spillDir)) {
            assertThat(files).as("spill files are unlinked once mapped").isEmpty();
        }
    }

    @Test
    void missingFolderSaysWhereAndHow() {
        assertThatThrownBy(() -> new HaptProvider().load(HaptConfig.defaults(), dir, 0))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("UCI HAPT not found at " + dir.resolve("hapt"))
                .hasMessageContaining("--data-root");
    }
}
