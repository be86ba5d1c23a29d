package org.crossl.datasets.hugadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.crossl.api.data.DataFormatException;
import org.crossl.datasets.TestData;
import org.junit.jupiter.api.Test;

class CorruptedGyroTableTest {

    @Test
    void parsesTheAuthorsReadme() {
        Path root = TestData.requireFolder("hugadb");
        CorruptedGyroTable t = CorruptedGyroTable.read(root.resolve("hugadb/README.md"));
        assertThat(t.entries()).hasSize(465);
        // | Right foot | Left foot | Right shank | Left shank | Right thigh | Left thigh |
        // |HuGaDB_v1_various_05_00.txt | Corrupted | OK | Corrupted | OK | OK | OK |
        assertThat(t.corruptedGyros("HuGaDB_v1_various_05_00.txt")).containsExactlyInAnyOrder("rf", "rs");
        // | HuGaDB_v1_standing_01_03.txt | OK | Corrupted | OK | OK | OK | OK |  (left foot only)
        assertThat(t.corruptedGyros("HuGaDB_v1_standing_01_03.txt")).containsExactly("lf");
        // | HuGaDB_v1_standing_06_00.txt | OK | OK | OK | OK | Corrupted | Corrupted |
        assertThat(t.corruptedGyros("HuGaDB_v1_standing_06_00.txt.gz")).containsExactlyInAnyOrder("rt", "lt");
        // an empty cell (Right shank of sitting_05_01) counts as not corrupted
        assertThat(t.corruptedGyros("HuGaDB_v1_sitting_05_01.txt")).containsExactly("lf");
        assertThat(t.corruptedGyros("HuGaDB_v1_walking_18_00.txt")).containsExactlyInAnyOrder("rf", "lf", "rs", "ls", "lt");
        assertThat(t.corruptedGyros("HuGaDB_v1_sitting_in_car_01_00.txt")).hasSize(6);
        assertThat(t.corruptedGyros("HuGaDB_v1_walking_01_00.txt")).isEmpty();
    }

    @Test
    void mapsColumnsByHeaderNotByPlace() {
        String text = """
                |File| Left thigh | Right shin | Right foot |
                |---|---|---|---|
                |HuGaDB_v1_x_01_00.txt | Corrupted | OK | corrupted |
                |HuGaDB_v1_x_01_01.txt | OK | Corrupted | |
                """;
        CorruptedGyroTable t = CorruptedGyroTable.parse(text, Path.of("README.md"));
        assertThat(t.corruptedGyros("HuGaDB_v1_x_01_00.txt")).containsExactlyInAnyOrder("lt", "rf");
        assertThat(t.corruptedGyros("HuGaDB_v1_x_01_01.txt")).containsExactly("rs");
        assertThat(CorruptedGyroTable.position("Right shank")).isEqualTo("rs");
        assertThat(CorruptedGyroTable.position("Left foot")).isEqualTo("lf");
        assertThatThrownBy(() -> CorruptedGyroTable.parse("|File| Elbow |\n|HuGaDB_v1_x_01_00.txt | OK |\n", Path.of("R.md")))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("R.md:1:").hasMessageContaining("Elbow");
        assertThatThrownBy(() -> CorruptedGyroTable.parse("no table here\n", Path.of("R.md")))
                .hasMessageContaining("no corrupted-gyroscope table");
    }
}
