package org.crossl.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelFractionsTest {

    @Test
    void stratifiedWithAtLeastOnePerClassAndSeeded() {
        int u = WindowBatch.UNLABELLED;
        int[] labels = new int[1003];
        for (int i = 0; i < 1000; i++) {
            labels[i] = i < 900 ? 0 : i < 990 ? 1 : 2; // 900 / 90 / 10
        }
        labels[1000] = u;
        labels[1001] = 3;
        labels[1002] = u;
        int[] idx = LabelFractions.draw(labels, 0.1, 5);
        Map<Integer, Integer> perClass = new HashMap<>();
        for (int i : idx) {
            perClass.merge(labels[i], 1, Integer::sum);
        }
        assertThat(perClass).containsEntry(0, 90).containsEntry(1, 9).containsEntry(2, 1).containsEntry(3, 1).doesNotContainKey(u);
        assertThat(idx).isSorted();
        assertThat(LabelFractions.draw(labels, 0.1, 5)).containsExactly(idx);
        assertThat(LabelFractions.draw(labels, 0.1, 6)).isNotEqualTo(idx);
        assertThat(LabelFractions.draw(labels, 1.0, 0)).hasSize(1001);
        assertThat(LabelFractions.draw(labels, 0.01, 0)).hasSize(9 + 1 + 1 + 1);
        assertThatThrownBy(() -> LabelFractions.draw(labels, 0, 0)).hasMessageContaining("(0, 1]");
    }
}
