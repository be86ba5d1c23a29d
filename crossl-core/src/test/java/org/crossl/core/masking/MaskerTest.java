package org.crossl.core.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.crossl.api.LatentMask;
import org.crossl.api.MaskContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Structural and statistical properties of the built-in maskers (method.md, "Our contract"). */
class MaskerTest {
    private static final int B = 2000;
    private static final int M = 6;

    /** Presence: sample b lacks modality (b % 7) when b % 7 < M, and sample b % 11 == 0 has only modality 2. */
    private static INDArray presence() {
        float[] p = new float[B * M];
        for (int b = 0; b < B; b++) {
            for (int m = 0; m < M; m++) {
                boolean present = b % 7 != m;
                if (b % 11 == 0) {
                    present = m == 2;
                }
                p[b * M + m] = present ? 1 : 0;
            }
        }
        return Nd4j.create(p, new long[]{B, M}, 'c');
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Test
    void spatialBernoulliHidesTheRatioNeverAllAndNeverAbsent() {
        INDArray presence = presence();
        LatentMask mask = new SpatialMasker(new MaskerConfig(0.3, MaskMode.BERNOULLI, null))
                .sample(new MaskContext(presence, new int[]{10, 10, 10, 10, 10, 10}, 8), new SplittableRandom(1));
        assertThat(mask.timeKeep()).isNull();
        assertThat(mask.elementKeep()).isNull();
        float[] keep = flat(mask.modalityKeep());
        float[] pres = flat(presence);
        int hidden = 0;
        int present = 0;
        for (int b = 0; b < B; b++) {
            int kept = 0;
            for (int m = 0; m < M; m++) {
                float k = keep[b * M + m];
                assertThat(k == 0f || k == 1f).isTrue();
                if (pres[b * M + m] == 0) {
                    assertThat(k).as("absent modality stays hidden").isEqualTo(0f);
                } else {
                    present++;
                    if (k == 0) {
                        hidden++;
                    } else {
                        kept++;
                    }
                }
            }
            assertThat(kept).as("sample %d keeps at least one present modality", b).isGreaterThanOrEqualTo(1);
        }
        // Bernoulli(0.3) per present modality; the rare all-hidden redraw lowers it slightly.
        assertThat((double) hidden / present).isCloseTo(0.3, within(0.02));
    }

    @Test
    void spatialExactHidesExactlyRoundRatioTimesPresentCappedAtPMinusOne() {
        INDArray presence = presence();
        LatentMask mask = new SpatialMasker(new MaskerConfig(0.5, MaskMode.EXACT, null))
                .sample(new MaskContext(presence, new int[]{4, 4, 4, 4, 4, 4}, 8), new SplittableRandom(2));
        float[] keep = flat(mask.modalityKeep());
        float[] pres = flat(presence);
        int[] hiddenPerModality = new int[M];
        for (int b = 0; b < B; b++) {
            int p = 0;
            int kept = 0;
            for (int m = 0; m < M; m++) {
                if (pres[b * M + m] > 0) {
                    p++;
                    if (keep[b * M + m] > 0) {
                        kept++;
                    } else {
                        hiddenPerModality[m]++;
                    }
                }
            }
            int expectedHidden = Math.min((int) Math.round(0.5 * p), p - 1);
            assertThat(p - kept).as("sample %d with %d present", b, p).isEqualTo(expectedHidden);
        }
        // Which modalities are hidden is uniform: every modality is hidden in a similar share of samples.
        for (int m = 0; m < M; m++) {
            assertThat(hiddenPerModality[m]).isBetween(700, 1000);
        }
    }

    @Test
    void randomMaskerHidesElementsOfPresentModalitiesOnly() {
        INDArray presence = presence();
        int d = 16;
        LatentMask bern = new RandomMasker(new MaskerConfig(0.25, MaskMode.BERNOULLI, null))
                .sample(new MaskContext(presence, new int[]{5, 5, 5, 5, 5, 5}, d), new SplittableRandom(3));
        assertThat(bern.elementKeep().shape()).containsExactly(B, M, d);
        float[] keep = flat(bern.elementKeep());
        float[] pres = flat(presence);
        long hidden = 0;
        long total = 0;
        for (int b = 0; b < B; b++) {
            for (int m = 0; m < M; m++) {
                for (int k = 0; k < d; k++) {
                    float v = keep[(b * M + m) * d + k];
                    if (pres[b * M + m] == 0) {
                        assertThat(v).isEqualTo(0f);
                    } else {
                        total++;
                        hidden += v == 0 ? 1 : 0;
                    }
                }
            }
        }
        assertThat((double) hidden / total).isCloseTo(0.25, within(0.01));
        assertThat(flat(bern.modalityKeep())).containsExactly(pres);

        LatentMask exact = new RandomMasker(new MaskerConfig(0.25, MaskMode.EXACT, null))
                .sample(new MaskContext(presence, new int[]{5, 5, 5, 5, 5, 5}, d), new SplittableRandom(4));
        float[] ek = flat(exact.elementKeep());
        for (int b = 0; b < B; b++) {
            int p = 0;
            int kept = 0;
            for (int m = 0; m < M; m++) {
                if (pres[b * M + m] > 0) {
                    p++;
                    for (int k = 0; k < d; k++) {
                        kept += ek[(b * M + m) * d + k] > 0 ? 1 : 0;
                    }
                }
            }
            assertThat(p * d - kept).isEqualTo((int) Math.round(0.25 * p * d));
        }
    }

    @Test
    void temporalExactHidesOneContiguousSpanAtTheSameRelativeTimeInEveryModality() {
        INDArray presence = Nd4j.ones(DataType.FLOAT, B, 3);
        int[] lengths = {16, 32, 8};
        LatentMask mask = new TemporalMasker(new MaskerConfig(0.25, MaskMode.EXACT, 8))
                .sample(new MaskContext(presence, lengths, 4), new SplittableRandom(5));
        assertThat(mask.timeKeep()).hasSize(3);
        float[][] keeps = new float[3][];
        for (int m = 0; m < 3; m++) {
            assertThat(mask.timeKeep().get(m).shape()).containsExactly(B, lengths[m]);
            keeps[m] = flat(mask.timeKeep().get(m));
        }
        int[] startCounts = new int[8];
        for (int b = 0; b < B; b++) {
            double[] spans = new double[3 * 2];
            for (int m = 0; m < 3; m++) {
                int t = lengths[m];
                int first = -1;
                int last = -1;
                int hidden = 0;
                for (int s = 0; s < t; s++) {
                    if (keeps[m][b * t + s] == 0) {
                        hidden++;
                        if (first < 0) {
                            first = s;
                        }
                        last = s;
                    }
                }
                assertThat(hidden).as("a quarter hidden").isEqualTo(t / 4);
                assertThat(last - first + 1).as("contiguous").isEqualTo(hidden);
                spans[2 * m] = (double) first / t;
                spans[2 * m + 1] = (double) (last + 1) / t;
            }
            assertThat(spans[2]).isEqualTo(spans[0]);
            assertThat(spans[4]).isEqualTo(spans[0]);
            assertThat(spans[5]).isEqualTo(spans[1]);
            startCounts[(int) Math.round(spans[0] * 8)]++;
        }
        // The span starts uniformly at one of the 7 possible segments.
        for (int s = 0; s <= 6; s++) {
            assertThat(startCounts[s]).isBetween(220, 360);
        }
        assertThat(startCounts[7]).isZero();
    }

    @Test
    void temporalBernoulliKeepsAtLeastOneStepEvenForShortSequences() {
        INDArray presence = Nd4j.ones(DataType.FLOAT, B, 2);
        LatentMask mask = new TemporalMasker(new MaskerConfig(0.9, MaskMode.BERNOULLI, 16))
                .sample(new MaskContext(presence, new int[]{3, 64}, 4), new SplittableRandom(6));
        float[] shortKeep = flat(mask.timeKeep().get(0));
        float[] longKeep = flat(mask.timeKeep().get(1));
        long hidden = 0;
        for (int b = 0; b < B; b++) {
            assertThat(shortKeep[b * 3] + shortKeep[b * 3 + 1] + shortKeep[b * 3 + 2]).isGreaterThanOrEqualTo(1f);
            int kept = 0;
            for (int s = 0; s < 64; s++) {
                kept += (int) longKeep[b * 64 + s];
            }
            assertThat(kept).isGreaterThanOrEqualTo(4);
            hidden += 64 - kept;
        }
        // 0.9 per segment, minus the reveal when all 16 were hidden (prob 0.9^16 ≈ 0.185).
        assertThat((double) hidden / (B * 64L)).isCloseTo(0.9 - 0.185 / 16, within(0.02));
    }

    @Test
    void sameSeedSameMasks() {
        INDArray presence = presence();
        SpatialMasker s = new SpatialMasker(new MaskerConfig(0.5, MaskMode.BERNOULLI, null));
        MaskContext ctx = new MaskContext(presence, new int[]{4, 4, 4, 4, 4, 4}, 8);
        assertThat(s.sample(ctx, new SplittableRandom(9)).modalityKeep()).isEqualTo(s.sample(ctx, new SplittableRandom(9)).modalityKeep());
    }
}
