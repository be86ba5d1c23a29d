package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.crossl.losses.ObjectiveGradients.assertMatchCentralDifferences;
import static org.crossl.losses.ObjectiveGradients.nd;
import static org.crossl.losses.ObjectiveGradients.toArray;

import java.util.Random;
import org.crossl.api.ObjectiveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SimClrObjectiveTest {

    private static double[][] random(Random rng, int b, int d) {
        double[][] z = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = 0.2 * j - 0.3 + rng.nextGaussian();
            }
        }
        return z;
    }

    @Test
    void termNamesAreStable() {
        assertThat(new SimClrObjective().termNames()).containsExactly("nt_xent");
    }

    /**
     * B = 2, D = 2, τ = 0.5. The rows are not unit vectors, to exercise the normalisation.
     *
     * <pre>
     * za = [[3, 0], [0, 0.5]]  -> u: a0 = (1, 0),     a1 = (0, 1)
     * zb = [[3, 4], [-2, 0]]   -> u: b0 = (0.6, 0.8), b1 = (-1, 0)
     * order of the 2B = 4 embeddings: 0 = a0, 1 = a1, 2 = b0, 3 = b1; positives 0↔2, 1↔3
     * dot products: a0·a1 = 0, a0·b0 = 0.6, a0·b1 = -1, a1·b0 = 0.8, a1·b1 = 0, b0·b1 = -0.6
     * s = dot/τ = 2·dot
     *
     * anchor a0: positive b0 (1.2), negatives a1 (0), b1 (-2)
     *   ℓ0 = -1.2 + ln(e^0 + e^1.2 + e^-2)     = -1.2 + ln 4.455452 = 0.294129
     * anchor a1: positive b1 (0), negatives a0 (0), b0 (1.6)
     *   ℓ1 = -0 + ln(e^0 + e^0 + e^1.6)        = ln 6.953032        = 1.939178
     * anchor b0: positive a0 (1.2), negatives a1 (1.6), b1 (-1.2)
     *   ℓ2 = -1.2 + ln(e^1.2 + e^1.6 + e^-1.2) = -1.2 + ln 8.574344 = 0.948774
     * anchor b1: positive a1 (0), negatives a0 (-2), b0 (-1.2)
     *   ℓ3 = -0 + ln(e^0 + e^-2 + e^-1.2)      = ln 1.436529        = 0.362230
     * L = (ℓ0 + ℓ1 + ℓ2 + ℓ3)/4 = 3.544311/4 = 0.886078
     * </pre>
     */
    @Test
    void matchesHandComputedTinyCase() {
        INDArray za = nd(new double[][] {{3, 0}, {0, 0.5}});
        INDArray zb = nd(new double[][] {{3, 4}, {-2, 0}});
        double l0 = -1.2 + Math.log(Math.exp(0) + Math.exp(1.2) + Math.exp(-2));
        double l1 = Math.log(Math.exp(0) + Math.exp(0) + Math.exp(1.6));
        double l2 = -1.2 + Math.log(Math.exp(1.2) + Math.exp(1.6) + Math.exp(-1.2));
        double l3 = Math.log(Math.exp(0) + Math.exp(-2) + Math.exp(-1.2));
        double expected = (l0 + l1 + l2 + l3) / 4;
        assertThat(expected).isCloseTo(0.886078, within(1e-6));

        ObjectiveResult r = new SimClrObjective(SimClrConfig.of(0.5)).compute(za, zb);

        assertThat(r.loss()).isCloseTo(expected, within(1e-12));
        assertThat(r.terms()).containsOnlyKeys("nt_xent");
        assertThat(r.terms().get("nt_xent")).isEqualTo(r.loss());
    }

    @ParameterizedTest
    @CsvSource({"0.1, 8, 5", "0.5, 8, 5", "0.05, 3, 7", "1.0, 16, 3", "0.1, 2, 1"})
    void matchesPlainJavaReferenceOnRandomBatchInFloat64(double tau, int b, int d) {
        Random rng = new Random(31L * b + d);
        double[][] za = random(rng, b, d);
        double[][] zb = random(rng, b, d);
        double expected = PlainSimClr.loss(za, zb, tau);

        ObjectiveResult r = new SimClrObjective(SimClrConfig.of(tau)).compute(nd(za), nd(zb));

        assertThat(r.loss()).isCloseTo(expected, within(1e-10));
        assertThat(r.terms().get("nt_xent")).isEqualTo(r.loss());
        assertThat(r.gradA().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(r.gradB().dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(r.gradA().shape()).containsExactly(b, d);
        assertThat(r.gradB().shape()).containsExactly(b, d);
    }

    @ParameterizedTest
    @CsvSource({"0.1", "0.5"})
    void gradientsMatchCentralFiniteDifferencesInFloat64(double tau) {
        int b = 5;
        int d = 4;
        Random rng = new Random(2024);
        double[][] za = random(rng, b, d);
        double[][] zb = random(rng, b, d);
        SimClrObjective objective = new SimClrObjective(SimClrConfig.of(tau));

        assertMatchCentralDifferences(objective, za, zb);
    }

    @Test
    void gradientIsOrthogonalToEachEmbedding() {
        // the loss depends on directions only, so dL/dz_i ⟂ z_i and scaling a row leaves L unchanged
        Random rng = new Random(9);
        INDArray za = nd(random(rng, 6, 5));
        INDArray zb = nd(random(rng, 6, 5));
        SimClrObjective objective = new SimClrObjective();
        ObjectiveResult r = objective.compute(za, zb);

        assertThat(r.gradA().mul(za).sum(1).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(r.gradB().mul(zb).sum(1).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(objective.compute(za.mul(3.7), zb.mul(0.2)).loss()).isCloseTo(r.loss(), within(1e-12));
    }

    @Test
    void identicalViewsOfWellSeparatedWindowsGiveALowerLossThanRandomViews() {
        int b = 6;
        int d = 8;
        double[][] separated = new double[b][d];
        for (int i = 0; i < b; i++) {
            separated[i][i] = 1.0 + i; // orthogonal directions, various norms
        }
        Random rng = new Random(17);
        SimClrObjective objective = new SimClrObjective(); // τ = 0.1

        double aligned = objective.compute(nd(separated), nd(separated)).loss();
        double randomLoss = objective.compute(nd(random(rng, b, d)), nd(random(rng, b, d))).loss();

        // every anchor: positive at 1/τ = 10, 2B − 2 = 10 negatives at 0
        assertThat(aligned).isCloseTo(Math.log(1 + 10 * Math.exp(-10)), within(1e-12));
        assertThat(aligned).isLessThan(1e-3);
        assertThat(randomLoss).isGreaterThan(1.0);
        assertThat(aligned).isLessThan(randomLoss);
    }

    @Test
    void float32AgreesWithFloat64AndStaysFloat32() {
        Random rng = new Random(7);
        INDArray za = nd(random(rng, 16, 12));
        INDArray zb = nd(random(rng, 16, 12));
        SimClrObjective objective = new SimClrObjective(SimClrConfig.of(0.02)); // small τ: log-sum-exp must be stable
        ObjectiveResult r64 = objective.compute(za, zb);
        ObjectiveResult r32 = objective.compute(za.castTo(DataType.FLOAT), zb.castTo(DataType.FLOAT));

        assertThat(r32.gradA().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(r32.gradB().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(Double.isFinite(r32.loss())).isTrue();
        assertThat(r32.loss()).isCloseTo(r64.loss(), within(1e-4 * r64.loss()));
        for (INDArray[] pair : new INDArray[][] {{r32.gradA(), r64.gradA()}, {r32.gradB(), r64.gradB()}}) {
            double scale = pair[1].amaxNumber().doubleValue();
            double err = pair[0].castTo(DataType.DOUBLE).sub(pair[1]).amaxNumber().doubleValue();
            assertThat(err).isLessThan(1e-4 * scale);
        }
    }

    @Test
    void swappingViewsSwapsGradientsAndKeepsLoss() {
        Random rng = new Random(3);
        INDArray za = nd(random(rng, 6, 4));
        INDArray zb = nd(random(rng, 6, 4));
        SimClrObjective objective = new SimClrObjective();
        ObjectiveResult ab = objective.compute(za, zb);
        ObjectiveResult ba = objective.compute(zb, za);

        assertThat(ba.loss()).isCloseTo(ab.loss(), within(1e-12));
        assertThat(ba.gradA().equalsWithEps(ab.gradB(), 1e-12)).isTrue();
        assertThat(ba.gradB().equalsWithEps(ab.gradA(), 1e-12)).isTrue();
    }

    @Test
    void acceptsViewsAndFortranOrderAndLeavesInputsUnchanged() {
        Random rng = new Random(5);
        INDArray za = nd(random(rng, 6, 4));
        INDArray zb = nd(random(rng, 6, 4));
        INDArray zaCopy = za.dup();
        INDArray zbCopy = zb.dup();
        SimClrObjective objective = new SimClrObjective();
        ObjectiveResult plain = objective.compute(za, zb);

        assertThat(za).isEqualTo(zaCopy);
        assertThat(zb).isEqualTo(zbCopy);

        ObjectiveResult other = objective.compute(za.transpose().dup('c').transpose(), zb.dup('f'));
        assertThat(other.loss()).isCloseTo(plain.loss(), within(1e-12));
        assertThat(other.gradA().equalsWithEps(plain.gradA(), 1e-12)).isTrue();
        assertThat(other.gradB().equalsWithEps(plain.gradB(), 1e-12)).isTrue();
    }

    @Test
    void zeroEmbeddingStaysFinite() {
        INDArray za = nd(new double[][] {{0, 0, 0}, {1, 2, 3}});
        INDArray zb = nd(new double[][] {{1, 0, 0}, {0, 1, 0}});
        ObjectiveResult r = new SimClrObjective().compute(za, zb);

        assertThat(Double.isFinite(r.loss())).isTrue();
        assertThat(r.gradA().isInfinite().any() || r.gradA().isNaN().any()).isFalse();
        assertThat(r.gradB().isInfinite().any() || r.gradB().isNaN().any()).isFalse();
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        SimClrObjective objective = new SimClrObjective();
        INDArray ok = nd(new double[][] {{1, 2}, {3, 4}, {5, 7}});

        assertThatThrownBy(() -> objective.compute(nd(new double[][] {{1, 2}}), nd(new double[][] {{1, 2}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2").hasMessageContaining("B = 1");
        assertThatThrownBy(() -> objective.compute(Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 2.0, 3.0)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, D]");
        assertThatThrownBy(() -> objective.compute(ok, nd(new double[][] {{1, 2, 3}, {3, 4, 5}, {5, 7, 8}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("same shape");
        assertThatThrownBy(() -> objective.compute(ok, ok.castTo(DataType.FLOAT)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE").hasMessageContaining("FLOAT");
        assertThatThrownBy(() -> objective.compute(ok.castTo(DataType.INT32), ok.castTo(DataType.INT32)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("floating-point");
        assertThatThrownBy(() -> objective.compute(null, ok)).isExactlyInstanceOf(IllegalArgumentException.class);
        INDArray nan = ok.dup();
        nan.putScalar(1, 1, Double.NaN);
        assertThatThrownBy(() -> objective.compute(ok, nan))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("zb").hasMessageContaining("NaN");
    }
}
