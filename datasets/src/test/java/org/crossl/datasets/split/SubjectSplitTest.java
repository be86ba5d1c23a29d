package org.crossl.datasets.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;

class SubjectSplitTest {

    static final List<Integer> TWENTY = IntStream.rangeClosed(1, 20).boxed().toList();

    @Test
    void explicitListsAndTheRestTrains() {
        SubjectSplit s = SubjectSplit.resolve(SplitConfig.explicit(null, List.of(5, 6), List.of(1, 2)), TWENTY, 0, "split.");
        assertThat(s.test()).containsExactly(1, 2);
        assertThat(s.validation()).containsExactly(5, 6);
        assertThat(s.train()).hasSize(16).doesNotContain(1, 2, 5, 6);
        assertThat(s.splitOf(3)).isEqualTo(SubjectSplit.TRAIN);
        assertThat(s.splitOf(99)).isEqualTo(-1);
    }

    @Test
    void validationIsDrawnWhenNotListed() {
        SubjectSplit s = SubjectSplit.resolve(SplitConfig.explicit(null, null, List.of(1, 2)), TWENTY, 7, "split.");
        assertThat(s.validation()).hasSize(3).doesNotContain(1, 2); // round(0.15 * 18)
        assertThat(SubjectSplit.resolve(SplitConfig.explicit(null, null, List.of(1, 2)), TWENTY, 7, "split.")).isEqualTo(s);
        SubjectSplit counted = SubjectSplit.resolve(new SplitConfig(null, null, null, null, null, null, 0), TWENTY, 7, "split.");
        assertThat(counted.validation()).isEmpty();
        assertThat(counted.train()).hasSize(20);
    }

    @Test
    void kFoldsCoverEverySubjectOnceAndNeverLeak() {
        Set<Integer> tested = new HashSet<>();
        for (int f = 0; f < 6; f++) {
            SubjectSplit s = SubjectSplit.resolve(new SplitConfig(null, null, null, 6, f, null, null), TWENTY, 3, "split.");
            assertThat(s.test()).hasSizeBetween(3, 4);
            for (int x : s.test()) {
                assertThat(tested.add(x)).as("subject %d tested twice", x).isTrue();
            }
            Set<Integer> all = new HashSet<>();
            all.addAll(s.train());
            all.addAll(s.validation());
            all.addAll(s.test());
            assertThat(all).hasSize(20);
            assertThat(s.train().size() + s.validation().size() + s.test().size()).isEqualTo(20);
        }
        assertThat(tested).containsExactlyInAnyOrderElementsOf(TWENTY);
    }

    @Test
    void leaveOneSubjectOut() {
        SubjectSplit s = SubjectSplit.resolve(new SplitConfig(null, List.of(3), null, null, null, 7, null), TWENTY, 0, "split.");
        assertThat(s.test()).containsExactly(7);
        assertThat(s.validation()).containsExactly(3);
        assertThat(s.train()).hasSize(18);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> SubjectSplit.resolve(SplitConfig.explicit(null, null, List.of(21)), TWENTY, 0, "split."))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split.test: no data for subject [21]");
        assertThatThrownBy(() -> SplitConfig.explicit(List.of(1, 2), null, List.of(2)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test: subject 2 is also in train");
        assertThatThrownBy(() -> new SplitConfig(null, null, null, 5, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fold");
        assertThatThrownBy(() -> new SplitConfig(null, null, null, 5, 5, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fold: must be in 0..4");
        assertThatThrownBy(() -> new SplitConfig(List.of(1), null, null, 5, 1, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not several");
        assertThatThrownBy(() -> SubjectSplit.resolve(new SplitConfig(null, null, null, 25, 1, null, null), TWENTY, 0, "split."))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split.folds: 25 folds but only 20 subjects");
        assertThatThrownBy(() -> SubjectSplit.resolve(new SplitConfig(null, null, null, null, null, 30, null), TWENTY, 0, "split."))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split.leaveOneSubjectOut: subject 30 has no data");
        List<Integer> two = new ArrayList<>(List.of(1, 2));
        assertThatThrownBy(() -> SubjectSplit.resolve(SplitConfig.explicit(null, List.of(1), List.of(2)), two, 0, "split."))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split.train: no subject is left for training");
    }
}
