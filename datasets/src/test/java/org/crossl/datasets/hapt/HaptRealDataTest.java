package org.crossl.datasets.hapt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowBatch;
import org.crossl.api.data.WindowDataset;
import org.crossl.datasets.TestData;
import org.crossl.datasets.io.TextFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hapt protocol on the real files in ../shared/data/hapt. */
class HaptRealDataTest {

    static Path root;
    static DataSplits splits;

    @BeforeAll
    static void load() {
        root = TestData.requireFolder("hapt");
        splits = new HaptProvider().load(HaptConfig.defaults(), root, 0);
    }

    @Test
    void defaultTestUsersAreTheOfficialOnes() throws Exception {
        Set<Integer> official = new TreeSet<>();
        for (String line : Files.readAllLines(root.resolve("hapt/subject_id_test.txt"))) {
            if (!line.isBlank()) {
                official.add(Integer.parseInt(line.strip()));
            }
        }
        assertThat(official).containsExactlyElementsOf(HaptConfig.OFFICIAL_TEST_USERS);
        assertThat(subjects(splits.test())).containsExactlyElementsOf(HaptConfig.OFFICIAL_TEST_USERS);
        assertThat(subjects(splits.validation())).containsExactly(26, 27, 28, 29, 30);
        Set<Integer> train = subjects(splits.train());
        assertThat(train).hasSize(16).doesNotContainAnyElementsOf(official).doesNotContain(26, 27, 28, 29, 30);
    }

    @Test
    void windowsAreTwoModalitiesOf128By3WithSixClassesAndUnlabelledWindowsKept() {
        WindowDataset tr = splits.train();
        assertThat(tr.modalities()).extracting(m -> m.name()).containsExactly("acc", "gyro");
        assertThat(tr.length(0)).isEqualTo(128);
        assertThat(tr.data(1).shape()).containsExactly(tr.size(), 128, 3);
        assertThat(tr.classNames()).hasSize(6).startsWith("walking");
        int unlabelled = 0;
        Set<Integer> classes = new HashSet<>();
        for (int l : tr.labels()) {
            if (l == WindowBatch.UNLABELLED) {
                unlabelled++;
            } else {
                classes.add(l);
            }
        }
        assertThat(classes).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(unlabelled).isGreaterThan(tr.size() / 10).isLessThan(tr.size());
        assertThat(tr.presence().minNumber().doubleValue()).isEqualTo(1.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> windows = (Map<String, Object>) splits.description().get("windows");
        assertThat(windows.get("train")).isEqualTo(tr.size());
    }

    @Test
    void aWindowInsideTheFirstSegmentHoldsTheFileValuesAndItsLabel() throws Exception {
        // labels.txt line 1: "1 1 5 250 1232" (standing, samples 250..1232 counted from 1, inclusive).
        // Experiment 1 of user 1 comes first in the training split; window 4 starts at 0-based sample 256.
        WindowDataset tr = splits.train();
        assertThat(tr.label(4)).isEqualTo(4); // standing
        assertThat(tr.subjects()[4]).isEqualTo(1);
        List<String> lines = Arrays.asList(TextFiles.readString(root.resolve("hapt/raw/acc_exp01_user01.txt.gz")).split("\n"));
        String[] first = lines.get(256).trim().split(" ");
        for (int c = 0; c < 3; c++) {
            assertThat(tr.data(0).getDouble(4, 0, c)).isCloseTo(Float.parseFloat(first[c]), org.assertj.core.data.Offset.offset(1e-7));
        }
        String[] last = lines.get(256 + 127).trim().split(" ");
        assertThat(tr.data(0).getDouble(4, 127, 2)).isCloseTo(Float.parseFloat(last[2]), org.assertj.core.data.Offset.offset(1e-7));
        // window 3 starts at 0-based 192 (1-based 193 < 250): part unlabelled, so the window is unlabelled
        assertThat(tr.label(3)).isEqualTo(WindowBatch.UNLABELLED);
    }

    private static Set<Integer> subjects(WindowDataset d) {
        Set<Integer> s = new TreeSet<>();
        for (int x : d.subjects()) {
            s.add(x);
        }
        return s;
    }
}
