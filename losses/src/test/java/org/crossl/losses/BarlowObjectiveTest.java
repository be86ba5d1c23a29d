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

class BarlowObjectiveTest {

    private static double[][] random(Random rng, int b, int d, double[] scales) {
        double[][] z = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = 0.3 * j - 0.5 + scales[j % scales.length] * rng.nextGaussian();
            }
        }
        return z;
    }

    /** zb correlated with za (so the diagonal of C is far from 0) plus noise. */
    private static double[][] correlated(Random rng, double[][] za, double noise) {
        double[][] z = new double[za.length][za[0].length];
        for (int i = 0; i < za.length; i++) {
            for (int j = 0; j < za[0].length; j++) {
                z[i][j] = 2 * za[i][j] + 1 + noise * rng.nextGaussian();
            }
        }
        return z;
    }

    private static void assertMatrix(INDArray actual, double[][] expected, double tol, String what) {
        double[][] got = toArray(actual);
        assertThat(got.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertThat(got[i][j]).as("%s[%d,%d]", what, i, j).isCloseTo(expected[i][j], within(tol));
            }
        }
    }

    @Test
    void termNamesAreStable() {
        assertThat(new BarlowObjective().termNames()).containsExactly("invariance", "redundancy");
    }

    /**
     * B = 3, D = 2, λ = 0.5, scale 1, ε = 1/3 (chosen so that every column's s = sqrt(2/3 + 1/3) = 1).
     *
     * <pre>
     * za = [[6, 1], [5, -1], [4, 0]]     means (5, 0): ẑa = [[1, 1], [0, -1], [-1, 0]]  (var 2/3 per column)
     * zb = [[1, -2], [0, -1], [-1, -3]]  means (0, -2): ẑb = [[1, 0], [0, 1], [-1, -1]] (var 2/3 per column)
     * C = ẑaᵀ ẑb / 3:  C00 = (1 + 0 + 1)/3 = 2/3,  C01 = (0 + 0 + 1)/3 = 1/3,
     *                  C10 = (1 + 0 + 0)/3 = 1/3,  C11 = (0 - 1 + 0)/3 = -1/3
     * invariance = (1 - 2/3)² + (1 + 1/3)² = 1/9 + 16/9 = 17/9
     * redundancy = λ (1/9 + 1/9) = 1/9;            loss = 2
     *
     * G = dL/dC = [[-2(1 - 2/3), 2λ/3], [2λ/3, -2(1 + 1/3)]] = [[-2/3, 1/3], [1/3, -8/3]]
     * g_a = ẑb Gᵀ / 3 = [[-2/9, 1/9], [1/9, -8/9], [1/9, 7/9]]
     *   column 0: mean 0, mean(g ẑ) = (-2/9 - 1/9)/3 = -1/9 -> g + ẑ/9 = (-1/9, 1/9, 0)
     *   column 1: mean 0, mean(g ẑ) = (1/9 + 8/9)/3 = 1/3  -> g - ẑ/3 = (-2/9, -5/9, 7/9)
     * dL/dza = [[-1/9, -2/9], [1/9, -5/9], [0, 7/9]]
     * g_b = ẑa G / 3 = [[-1/9, -7/9], [-1/9, 8/9], [2/9, -1/9]]
     *   column 0: mean(g ẑ) = (-1/9 - 2/9)/3 = -1/9 -> (0, -1/9, 1/9)
     *   column 1: mean(g ẑ) = (8/9 + 1/9)/3 = 1/3   -> (-7/9, 5/9, 2/9)
     * dL/dzb = [[0, -7/9], [-1/9, 5/9], [1/9, 2/9]]
     * </pre>
     */
    @Test
    void matchesHandComputedTinyCase() {
        INDArray za = nd(new double[][] {{6, 1}, {5, -1}, {4, 0}});
        INDArray zb = nd(new double[][] {{1, -2}, {0, -1}, {-1, -3}});
        ObjectiveResult r = new BarlowObjective(new BarlowConfig(0.5, null, 1.0 / 3)).compute(za, zb);

        assertThat(r.terms()).containsOnlyKeys("invariance", "redundancy");
        assertThat(r.terms().get("invariance")).isCloseTo(17.0 / 9, within(1e-12));
        assertThat(r.terms().get("redundancy")).isCloseTo(1.0 / 9, within(1e-12));
        assertThat(r.loss()).isCloseTo(2.0, within(1e-12));
        assertMatrix(r.gradA(), new double[][] {{-1.0 / 9, -2.0 / 9}, {1.0 / 9, -5.0 / 9}, {0, 7.0 / 9}}, 1e-12, "dL/dza");
        assertMatrix(r.gradB(), new double[][] {{0, -7.0 / 9}, {-1.0 / 9, 5.0 / 9}, {1.0 / 9, 2.0 / 9}}, 1e-12, "dL/dzb");

        // scale multiplies everything
        ObjectiveResult scaled = new BarlowObjective(new BarlowConfig(0.5, 0.25, 1.0 / 3)).compute(za, zb);
        assertThat(scaled.terms().get("invariance")).isCloseTo(17.0 / 36, within(1e-12));
        assertThat(scaled.terms().get("redundancy")).isCloseTo(1.0 / 36, within(1e-12));
        assertThat(scaled.gradA().equalsWithEps(r.gradA().mul(0.25), 1e-12)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"0.005, 1, DOUBLE, 1e-10", "0.03125, 0.1, DOUBLE, 1e-10", "0.005, 1, FLOAT, 1e-4"})
    void matchesPlainJavaReferenceOnRandomBatch(double lambda, double scale, DataType type, double tolerance) {
        Random rng = new Random(42);
        double[][] za = random(rng, 8, 5, new double[] {0.3, 1.5, 0.8});
        double[][] zb = correlated(rng, za, 0.7);
        BarlowConfig config = new BarlowConfig(lambda, scale, null);
        // the reference sees exactly the values the objective sees, in the requested data type
        double[][] zaT = toArray(nd(za).castTo(type));
        double[][] zbT = toArray(nd(zb).castTo(type));
        double[] expected = PlainBarlow.terms(zaT, zbT, lambda, scale, config.epsilon());

        ObjectiveResult r = new BarlowObjective(config).compute(nd(za).castTo(type), nd(zb).castTo(type));

        assertThat(expected[0]).isPositive();
        assertThat(expected[1]).isPositive();
        assertThat(r.terms().get("invariance")).isCloseTo(expected[0], within(tolerance * Math.abs(expected[0])));
        assertThat(r.terms().get("redundancy")).isCloseTo(expected[1], within(tolerance * Math.abs(expected[1])));
        assertThat(r.loss()).isCloseTo(expected[0] + expected[1], within(tolerance * r.loss()));
        assertThat(r.gradA().dataType()).isEqualTo(type);
        assertThat(r.gradB().dataType()).isEqualTo(type);
        assertThat(r.gradA().shape()).containsExactly(8, 5);
        assertThat(r.gradB().shape()).containsExactly(8, 5);
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "3, 2", "4, 3", "3, 6", "7, 4"})
    void gradientsMatchCentralFiniteDifferencesInFloat64(int b, int d) {
        Random rng = new Random(1000L * b + d);
        double[][] za = random(rng, b, d, new double[] {0.3, 1.7});
        double[][] zb = correlated(rng, za, 0.9);
        BarlowObjective objective = new BarlowObjective(new BarlowConfig(0.3, 1.7, 1e-3));

        ObjectiveResult r = objective.compute(nd(za), nd(zb));
        assertThat(r.gradA().dataType()).isEqualTo(DataType.DOUBLE);
        assertMatchCentralDifferences(objective, za, zb);
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        Random rng = new Random(7);
        double[][] a = random(rng, 16, 12, new double[] {0.5, 1.4});
        INDArray za = nd(a);
        INDArray zb = nd(correlated(rng, a, 1.0));
        BarlowObjective objective = new BarlowObjective();
        ObjectiveResult r64 = objective.compute(za, zb);
        ObjectiveResult r32 = objective.compute(za.castTo(DataType.FLOAT), zb.castTo(DataType.FLOAT));

        assertThat(r32.gradA().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(r32.loss()).isCloseTo(r64.loss(), within(1e-5 * r64.loss()));
        for (INDArray[] pair : new INDArray[][] {{r32.gradA(), r64.gradA()}, {r32.gradB(), r64.gradB()}}) {
            double scale = pair[1].amaxNumber().doubleValue();
            double err = pair[0].castTo(DataType.DOUBLE).sub(pair[1]).amaxNumber().doubleValue();
            assertThat(err).isLessThan(1e-4 * scale);
        }
    }

    @Test
    void swappingViewsSwapsGradientsAndKeepsLoss() {
        Random rng = new Random(3);
        double[][] a = random(rng, 6, 4, new double[] {0.5, 1.2});
        INDArray za = nd(a);
        INDArray zb = nd(correlated(rng, a, 0.8));
        BarlowObjective objective = new BarlowObjective(BarlowConfig.of(0.1));
        ObjectiveResult ab = objective.compute(za, zb);
        ObjectiveResult ba = objective.compute(zb, za);

        assertThat(ba.loss()).isCloseTo(ab.loss(), within(1e-12 * ab.loss()));
        for (String term : objective.termNames()) {
            assertThat(ba.terms().get(term)).isCloseTo(ab.terms().get(term), within(1e-12 * ab.loss()));
        }
        assertThat(ba.gradA().equalsWithEps(ab.gradB(), 1e-12)).isTrue();
        assertThat(ba.gradB().equalsWithEps(ab.gradA(), 1e-12)).isTrue();
    }

    /** Identical views with orthogonal, unit-variance centred columns: C = I/(1 + ε), no redundancy. */
    @Test
    void identicalDecorrelatedViewsAreNearlyOptimal() {
        INDArray z = nd(new double[][] {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}});
        double eps = 1e-5;
        ObjectiveResult r = new BarlowObjective().compute(z, z.dup());
        double gap = eps / (1 + eps); // 1 − C_ii
        assertThat(r.terms().get("invariance")).isCloseTo(2 * gap * gap, within(1e-18));
        assertThat(r.terms().get("redundancy")).isCloseTo(0.0, within(1e-30));
        assertThat(r.gradA().amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    /**
     * A constant column standardises to 0 (finite thanks to ε), so C_ii = 0 there. Its gradient is
     * finite (about 1/sqrt(ε) times the centred upstream gradient: a small perturbation of one
     * element moves ẑ a lot) and, like every column's, sums to zero over the batch.
     */
    @Test
    void constantColumnStaysFinite() {
        INDArray za = nd(new double[][] {{1, 3}, {2, 3}, {4, 3}});
        INDArray zb = nd(new double[][] {{0, 1}, {1, 2}, {3, 2}});
        ObjectiveResult r = new BarlowObjective().compute(za, zb);
        assertThat(Double.isFinite(r.loss())).isTrue();
        assertThat(r.terms().get("invariance")).isGreaterThanOrEqualTo(1.0); // (1 − 0)² for the constant column
        double[][] ga = toArray(r.gradA());
        double colSum = 0;
        for (double[] row : ga) {
            assertThat(Double.isFinite(row[1])).isTrue();
            colSum += row[1];
        }
        assertThat(colSum).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void acceptsViewsAndFortranOrderAndLeavesInputsUnchanged() {
        Random rng = new Random(5);
        double[][] a = random(rng, 6, 4, new double[] {0.5, 1.2});
        INDArray za = nd(a);
        INDArray zb = nd(correlated(rng, a, 0.5));
        INDArray zaCopy = za.dup();
        INDArray zbCopy = zb.dup();
        BarlowObjective objective = new BarlowObjective();
        ObjectiveResult plain = objective.compute(za, zb);

        assertThat(za).isEqualTo(zaCopy);
        assertThat(zb).isEqualTo(zbCopy);

        ObjectiveResult other = objective.compute(za.transpose().dup('c').transpose(), zb.dup('f'));
        assertThat(other.loss()).isCloseTo(plain.loss(), within(1e-12 * plain.loss()));
        assertThat(other.gradA().equalsWithEps(plain.gradA(), 1e-12)).isTrue();
        assertThat(other.gradB().equalsWithEps(plain.gradB(), 1e-12)).isTrue();
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        BarlowObjective objective = new BarlowObjective();
        INDArray ok = nd(new double[][] {{1, 2}, {3, 4}, {5, 7}});
        assertThatThrownBy(() -> objective.compute(nd(new double[][] {{1, 2}}), nd(new double[][] {{1, 2}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("Barlow").hasMessageContaining("B = 1");
        assertThatThrownBy(() -> objective.compute(ok, nd(new double[][] {{1, 2, 3}, {3, 4, 5}, {5, 7, 8}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("same shape");
        assertThatThrownBy(() -> objective.compute(ok, ok.castTo(DataType.FLOAT)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("floating-point");
        INDArray nan = ok.dup();
        nan.putScalar(1, 1, Double.NaN);
        assertThatThrownBy(() -> objective.compute(ok, nan))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("zb").hasMessageContaining("NaN");
    }
}
