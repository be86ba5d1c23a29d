package org.crossl.datasets.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.TestData;
import org.crossl.datasets.hapt.HaptConfig;
import org.crossl.datasets.hapt.HaptProvider;
import org.crossl.datasets.io.TextFiles;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real recordings through the generic reader: six HAPT experiments (users 1–3) rewritten as
 * recording folders (acc.csv, gyro.csv with headers, labels.csv with segments in seconds) must give
 * exactly the windows, values and labels of the dedicated hapt reader.
 */
class RecordingsOnHaptTest {

    static final String[] CLASSES = {"walking", "walking_upstairs", "walking_downstairs", "sitting", "standing", "laying"};

    @TempDir
    static Path tmp;
    static Path root;

    @BeforeAll
    static void export() throws IOException {
        root = TestData.requireFolder("hapt");
        Path raw = root.resolve("hapt/raw");
        List<String> labelLines = Files.readAllLines(root.resolve("hapt/labels.txt"));
        for (int exp = 1; exp <= 6; exp++) {
            int user = (exp + 1) / 2;
            String tag = String.format("exp%02d_user%02d", exp, user);
            Path dir = Files.createDirectories(tmp.resolve("csv/user" + user + "/exp" + exp));
            for (String sensor : List.of("acc", "gyro")) {
                String text = TextFiles.readString(raw.resolve(sensor + "_" + tag + ".txt.gz"));
                StringBuilder sb = new StringBuilder("x,y,z\n");
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        sb.append(line.strip().replace(' ', ',')).append('\n');
                    }
                }
                Files.writeString(dir.resolve(sensor + ".csv"), sb);
            }
            StringBuilder labels = new StringBuilder("start,end,label\n");
            for (String line : labelLines) {
                String[] f = line.trim().split("\\s+");
                int activity = Integer.parseInt(f[2]);
                if (Integer.parseInt(f[0]) == exp && activity <= 6) {
                    // 1-based inclusive sample bounds -> [start, end) in seconds at 50 Hz
                    labels.append((Integer.parseInt(f[3]) - 1) / 50.0).append(',').append(Integer.parseInt(f[4]) / 50.0)
                            .append(',').append(CLASSES[activity - 1]).append('\n');
                }
            }
            Files.writeString(dir.resolve("labels.csv"), labels);
        }
    }

    static final SplitConfig SPLIT = SplitConfig.explicit(List.of(1), List.of(2), List.of(3));

    @Test
    void sameWindowsValuesAndLabelsAsTheHaptReader() {
        DataSplits hapt = new HaptProvider().load(new HaptConfig(null, null, null, null, null, null, null, SPLIT), root, 0);
        List<RecordingsConfig.Modality> mods = new ArrayList<>();
        for (String s : List.of("acc", "gyro")) {
            mods.add(new RecordingsConfig.Modality(s, s + ".csv", List.of("x", "y", "z"), "waist", 50.0, null, null));
        }
        RecordingsConfig cfg = new RecordingsConfig("csv", "user{subject}/exp{session}", null, mods,
                new RecordingsConfig.Labels("labels.csv", null, null, List.of(CLASSES), null, "uniform", null, null),
                2.56, 1.28, null, null, null, SPLIT);
        DataSplits rec = new RecordingsProvider().load(cfg, tmp, 0);
        WindowDataset[][] pairs = {{hapt.train(), rec.train()}, {hapt.validation(), rec.validation()}, {hapt.test(), rec.test()}};
        for (WindowDataset[] p : pairs) {
            assertThat(p[1].size()).isEqualTo(p[0].size()).isGreaterThan(100);
            assertThat(p[1].length(0)).isEqualTo(128);
            assertThat(p[1].classNames()).containsExactlyElementsOf(p[0].classNames());
            assertThat(p[1].labels()).containsExactly(p[0].labels());
            assertThat(p[1].subjects()).containsExactly(p[0].subjects());
            for (int m = 0; m < 2; m++) {
                assertThat(p[1].data(m)).isEqualTo(p[0].data(m));
            }
        }
    }
}
