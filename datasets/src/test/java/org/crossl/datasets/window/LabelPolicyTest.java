package org.crossl.datasets.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.crossl.api.data.WindowBatch;
import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;

class LabelPolicyTest {
    static final int U = WindowBatch.UNLABELLED;
    static final int[] IDS = {2, 2, 2, 2, 5, 5, -1, -1, 3, 3};

    @Test
    void uniformNeedsOneLabelOverTheWholeWindow() {
        LabelPolicy p = LabelPolicy.uniform();
        assertThat(p.label(IDS, 0, 4)).isEqualTo(2);
        assertThat(p.label(IDS, 0, 5)).isEqualTo(U);
        assertThat(p.label(IDS, 6, 2)).isEqualTo(U);
        assertThat(p.label(IDS, 8, 2)).isEqualTo(3);
    }

    @Test
    void majorityCountsUnlabelledSamplesAgainst() {
        LabelPolicy half = new LabelPolicy("majority", 0.5);
        assertThat(half.label(IDS, 0, 6)).isEqualTo(2); // 4 of 6
        assertThat(half.label(IDS, 4, 4)).isEqualTo(5); // 2 of 4
        assertThat(half.label(IDS, 4, 6)).isEqualTo(U); // 5: 2, 3: 2 of 6 -> 1/3
        assertThat(new LabelPolicy("majority", 0.7).label(IDS, 0, 6)).isEqualTo(U);
        assertThat(new LabelPolicy("majority", null).minFraction()).isEqualTo(0.5);
        assertThat(half.label(new int[] {4, 4, 1, 1}, 0, 4)).isEqualTo(1); // tie -> smaller id
    }

    @Test
    void centerTakesTheMiddleSample() {
        LabelPolicy c = new LabelPolicy("center", null);
        assertThat(c.label(IDS, 0, 10)).isEqualTo(5);
        assertThat(c.label(IDS, 4, 4)).isEqualTo(U);
    }

    @Test
    void badConfig() {
        assertThatThrownBy(() -> new LabelPolicy("mode", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("policy: unknown label policy 'mode'; known: [uniform, majority, center]");
        assertThatThrownBy(() -> new LabelPolicy("uniform", 0.5)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("minFraction: only applies to policy: majority");
        assertThatThrownBy(() -> new LabelPolicy("majority", 1.5)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("minFraction: must be in (0, 1]");
    }
}
