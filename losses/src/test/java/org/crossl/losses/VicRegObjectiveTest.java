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

class VicRegObjectiveTest {

    private static double[][] random(Random rng, int b, int d, double[] scales) {
        double[][] z = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = 0.3 * j - 0.5 + scales[j % scales.length] * rng.nextGaussian();
            }
        }
        return z;
    }

    @Test
    void termNamesAreStable() {
        assertThat(new VicRegObjective().termNames()).containsExactly("invariance", "variance", "covariance");
    }

    /**
     * B = 3, D = 2, reference coefficients λ/μ/ν = 10/10/100, ε = 1/12 (chosen so the square roots are
     * exact).
     *
     * <pre>
     * za = [[ .5,  0], [0, .5], [-.5, -.5]]   column means 0, so z_c = za
     *   var = (.25 + 0 + .25)/3 = 1/6 per column; s = sqrt(1/6 + 1/12) = sqrt(1/4) = .5; V(za) = relu(1 - .5) = .5
     *   C = z_cᵀz_c/2 = [[.5, .25], [.25, .5]]/2 = [[.25, .125], [.125, .25]]; Cov(za) = 2·.125²/2 = 1/64
     * zb = [[1.5, 1.5], [.5, .5], [-2, 1]]     means (0, 1); z_c = [[1.5, .5], [.5, -.5], [-2, 0]]
     *   col 0: var = (2.25 + .25 + 4)/3 = 13/6, s = sqrt(13/6 + 1/12) = 1.5, relu(1 - 1.5) = 0
     *   col 1: var = (.25 + .25 + 0)/3 = 1/6,  s = .5, relu = .5;   V(zb) = (0 + .5)/2 = .25
     *   C01 = (.75 - .25 + 0)/2 = .25; Cov(zb) = 2·.25²/2 = 1/16
     * za - zb = [[-1, -1.5], [-.5, 0], [1.5, -1.5]]; squares sum to 1 + 2.25 + .25 + 0 + 2.25 + 2.25 = 8
     *   inv = 8/6 = 4/3
     * terms: invariance = 10·4/3 = 40/3; variance = 10·(.5 + .25)/2 = 3.75;
     *        covariance = 100·(1/64 + 1/16) = 7.8125 (the SUM over views)
     *
     * dL/dza = (2λ/(BD))·(za - zb) - (μ/2)·z_c/(B·D·s) + (4ν/(D(B-1)))·z_c·C°
     *        = (10/3)·(za - zb)    - (5/3)·z_c          + 100·z_c·[[0, .125], [.125, 0]]
     *   (10/3)(za - zb) = [[-10/3, -5], [-5/3, 0], [5, -5]]
     *   -(5/3) z_c      = [[-5/6, 0], [0, -5/6], [5/6, 5/6]]
     *   100 z_c C°      = [[0, 6.25], [6.25, 0], [-6.25, -6.25]]
     *   sum             = [[-25/6, 5/4], [55/12, -5/6], [-5/12, -125/12]]
     * </pre>
     */
    @Test
    void matchesHandComputedTinyCase() {
        INDArray za = nd(new double[][] {{.5, 0}, {0, .5}, {-.5, -.5}});
        INDArray zb = nd(new double[][] {{1.5, 1.5}, {.5, .5}, {-2, 1}});
        VicRegObjective objective = new VicRegObjective(new VicRegConfig(null, null, null, 1.0 / 12, null));

        ObjectiveResult r = objective.compute(za, zb);

        assertThat(r.terms().get("invariance")).isCloseTo(40.0 / 3, within(1e-12));
        assertThat(r.terms().get("variance")).isCloseTo(3.75, within(1e-12));
        assertThat(r.terms().get("covariance")).isCloseTo(7.8125, within(1e-12));
        assertThat(r.loss()).isCloseTo(40.0 / 3 + 3.75 + 7.8125, within(1e-12));
        assertThat(r.terms()).containsOnlyKeys("invariance", "variance", "covariance");

        double[][] expected = {{-25.0 / 6, 5.0 / 4}, {55.0 / 12, -5.0 / 6}, {-5.0 / 12, -125.0 / 12}};
        double[][] got = toArray(r.gradA());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(got[i][j]).as("dL/dza[%d,%d]", i, j).isCloseTo(expected[i][j], within(1e-12));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"reference, DOUBLE, 1e-12", "paper, DOUBLE, 1e-12", "reference, FLOAT, 1e-5"})
    void matchesPlainJavaReferenceOnRandomBatch(String preset, DataType type, double tolerance) {
        Random rng = new Random(42);
        double[][] za = random(rng, 8, 5, new double[] {0.3, 1.5, 0.8});
        double[][] zb = random(rng, 8, 5, new double[] {0.6, 0.2, 2.0});
        VicRegConfig config = VicRegConfig.preset(preset);
        double[] expected = PlainVicReg.terms(za, zb, config.invariance(), config.variance(), config.covariance(), config.epsilon());
        // inputs derived from the same double values, in the requested data type
        double[][] zaT = toArray(nd(za).castTo(type));
        double[][] zbT = toArray(nd(zb).castTo(type));
        expected = PlainVicReg.terms(zaT, zbT, config.invariance(), config.variance(), config.covariance(), config.epsilon());

        ObjectiveResult r = new VicRegObjective(config).compute(nd(za).castTo(type), nd(zb).castTo(type));

        assertThat(expected[1]).isPositive(); // some columns have std < 1, so the hinge is exercised
        assertThat(r.terms().get("invariance")).isCloseTo(expected[0], within(tolerance * Math.abs(expected[0])));
        assertThat(r.terms().get("variance")).isCloseTo(expected[1], within(tolerance * Math.abs(expected[1])));
        assertThat(r.terms().get("covariance")).isCloseTo(expected[2], within(tolerance * Math.abs(expected[2])));
        assertThat(r.loss()).isCloseTo(expected[0] + expected[1] + expected[2], within(tolerance * r.loss()));
        assertThat(r.gradA().dataType()).isEqualTo(type);
        assertThat(r.gradB().dataType()).isEqualTo(type);
        assertThat(r.gradA().shape()).containsExactly(8, 5);
        assertThat(r.gradB().shape()).containsExactly(8, 5);
    }

    @ParameterizedTest
    @CsvSource({"2, 1", "4, 3", "3, 6", "7, 4"})
    void gradientsMatchCentralFiniteDifferencesInFloat64(int b, int d) {
        Random rng = new Random(1000L * b + d);
        double[][] za = random(rng, b, d, new double[] {0.3, 1.7});
        double[][] zb = random(rng, b, d, new double[] {1.9, 0.4, 0.9});
        VicRegObjective objective = new VicRegObjective(new VicRegConfig(1.3, 2.1, 0.7, 1e-4, null));
        // The hinge must be away from its kink for finite differences to be valid, and both of its
        // sides should be exercised.
        int active = 0;
        for (double[][] z : new double[][][] {za, zb}) {
            for (int j = 0; j < d; j++) {
                double s = PlainVicReg.std(z, j, 1e-4);
                assertThat(Math.abs(s - 1)).as("std of a test column too close to 1").isGreaterThan(1e-3);
                active += s < 1 ? 1 : 0;
            }
        }
        assertThat(active).as("columns with std < 1").isBetween(1, d == 1 ? 2 : 2 * d - 1);

        ObjectiveResult r = objective.compute(nd(za), nd(zb));
        assertThat(r.gradA().dataType()).isEqualTo(DataType.DOUBLE);
        assertMatchCentralDifferences(objective, za, zb);
    }

    @Test
    void float32GradientsAgreeWithFloat64() {
        Random rng = new Random(7);
        INDArray za = nd(random(rng, 16, 12, new double[] {0.5, 1.4}));
        INDArray zb = nd(random(rng, 16, 12, new double[] {0.8, 0.3}));
        VicRegObjective objective = new VicRegObjective();
        ObjectiveResult r64 = objective.compute(za, zb);
        ObjectiveResult r32 = objective.compute(za.castTo(DataType.FLOAT), zb.castTo(DataType.FLOAT));

        assertThat(r32.gradA().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(r32.loss()).isCloseTo(r64.loss(), within(1e-5 * r64.loss()));
        for (INDArray[] pair : new INDArray[][] {{r32.gradA(), r64.gradA()}, {r32.gradB(), r64.gradB()}}) {
            double scale = pair[1].amaxNumber().doubleValue();
            double err = pair[0].castTo(DataType.DOUBLE).sub(pair[1]).amaxNumber().doubleValue();
            assertThat(err).isLessThan(1e-5 * scale);
        }
    }

    @Test
    void swappingViewsSwapsGradientsAndKeepsLoss() {
        Random rng = new Random(3);
        INDArray za = nd(random(rng, 6, 4, new double[] {0.5, 1.2}));
        INDArray zb = nd(random(rng, 6, 4, new double[] {0.9, 0.2}));
        VicRegObjective objective = new VicRegObjective();
        ObjectiveResult ab = objective.compute(za, zb);
        ObjectiveResult ba = objective.compute(zb, za);

        assertThat(ba.loss()).isCloseTo(ab.loss(), within(1e-12 * ab.loss()));
        for (String term : objective.termNames()) {
            assertThat(ba.terms().get(term)).isCloseTo(ab.terms().get(term), within(1e-12 * ab.loss()));
        }
        assertThat(ba.gradA().equalsWithEps(ab.gradB(), 1e-12)).isTrue();
        assertThat(ba.gradB().equalsWithEps(ab.gradA(), 1e-12)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"reference, 10", "paper, 25"})
    void collapsedIdenticalConstantEmbeddingsGiveOnlyTheVarianceTerm(String preset, double mu) {
        INDArray z = Nd4j.valueArrayOf(new long[] {5, 3}, 0.7, DataType.DOUBLE);
        ObjectiveResult r = new VicRegObjective(VicRegConfig.preset(preset)).compute(z, z.dup());

        assertThat(r.terms().get("invariance")).isZero();
        assertThat(r.terms().get("covariance")).isZero();
        assertThat(r.terms().get("variance")).isCloseTo(mu * (1 - Math.sqrt(1e-4)), within(1e-12));
        assertThat(r.loss()).isCloseTo(mu * 0.99, within(1e-12));
        // z_c = 0: every gradient vanishes at a complete collapse
        assertThat(r.gradA().amaxNumber().doubleValue()).isZero();
        assertThat(r.gradB().amaxNumber().doubleValue()).isZero();
    }

    @Test
    void presetsScaleTheTerms() {
        Random rng = new Random(11);
        INDArray za = nd(random(rng, 8, 5, new double[] {0.4, 1.1}));
        INDArray zb = nd(random(rng, 8, 5, new double[] {0.7, 0.2}));
        ObjectiveResult ref = new VicRegObjective(VicRegConfig.preset("reference")).compute(za, zb);
        ObjectiveResult paper = new VicRegObjective(VicRegConfig.preset("paper")).compute(za, zb);
        ObjectiveResult unit = new VicRegObjective(VicRegConfig.of(1, 1, 1, 1e-4)).compute(za, zb);

        for (String term : new String[] {"invariance", "variance"}) {
            assertThat(ref.terms().get(term)).isCloseTo(10 * unit.terms().get(term), within(1e-10));
            assertThat(paper.terms().get(term)).isCloseTo(25 * unit.terms().get(term), within(1e-10));
        }
        assertThat(ref.terms().get("covariance")).isCloseTo(100 * unit.terms().get("covariance"), within(1e-10));
        assertThat(paper.terms().get("covariance")).isCloseTo(unit.terms().get("covariance"), within(1e-12));
        assertThat(new VicRegObjective().compute(za, zb).loss()).isEqualTo(ref.loss());
        // gradients are linear in the coefficients too
        ObjectiveResult inv = new VicRegObjective(VicRegConfig.of(1, 0, 0, 1e-4)).compute(za, zb);
        ObjectiveResult var = new VicRegObjective(VicRegConfig.of(0, 1, 0, 1e-4)).compute(za, zb);
        ObjectiveResult cov = new VicRegObjective(VicRegConfig.of(0, 0, 1, 1e-4)).compute(za, zb);
        INDArray combined = inv.gradA().mul(25).addi(var.gradA().mul(25)).addi(cov.gradA());
        assertThat(combined.equalsWithEps(paper.gradA(), 1e-10)).isTrue();
    }

    @Test
    void acceptsViewsAndFortranOrderAndLeavesInputsUnchanged() {
        Random rng = new Random(5);
        INDArray za = nd(random(rng, 6, 4, new double[] {0.5, 1.2}));
        INDArray zb = nd(random(rng, 6, 4, new double[] {0.9, 0.2}));
        INDArray zaCopy = za.dup();
        INDArray zbCopy = zb.dup();
        VicRegObjective objective = new VicRegObjective();
        ObjectiveResult plain = objective.compute(za, zb);

        assertThat(za).isEqualTo(zaCopy);
        assertThat(zb).isEqualTo(zbCopy);

        INDArray zaView = za.transpose().dup('c').transpose(); // a transposed (non-'c') view of the same values
        INDArray zbF = zb.dup('f');
        ObjectiveResult other = objective.compute(zaView, zbF);
        assertThat(other.loss()).isCloseTo(plain.loss(), within(1e-12 * plain.loss()));
        assertThat(other.gradA().equalsWithEps(plain.gradA(), 1e-12)).isTrue();
        assertThat(other.gradB().equalsWithEps(plain.gradB(), 1e-12)).isTrue();
    }

    @Test
    void rejectsBadInputsWithClearMessages() {
        VicRegObjective objective = new VicRegObjective();
        INDArray ok = nd(new double[][] {{1, 2}, {3, 4}, {5, 7}});

        assertThatThrownBy(() -> objective.compute(Nd4j.createFromArray(1.0, 2.0, 3.0), Nd4j.createFromArray(1.0, 2.0, 3.0)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, D]").hasMessageContaining("[3]");
        assertThatThrownBy(() -> objective.compute(Nd4j.zeros(DataType.DOUBLE, 2, 3, 4), Nd4j.zeros(DataType.DOUBLE, 2, 3, 4)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B, D]");
        assertThatThrownBy(() -> objective.compute(ok, nd(new double[][] {{1, 2, 3}, {3, 4, 5}, {5, 7, 8}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("same shape")
                .hasMessageContaining("[3, 2]").hasMessageContaining("[3, 3]");
        assertThatThrownBy(() -> objective.compute(nd(new double[][] {{1, 2}}), nd(new double[][] {{1, 2}})))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2").hasMessageContaining("B = 1");
        assertThatThrownBy(() -> objective.compute(ok, ok.castTo(DataType.FLOAT)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOUBLE").hasMessageContaining("FLOAT");
        assertThatThrownBy(() -> objective.compute(ok.castTo(DataType.INT32), ok.castTo(DataType.INT32)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("floating-point");
        assertThatThrownBy(() -> objective.compute(null, ok)).isExactlyInstanceOf(IllegalArgumentException.class);

        INDArray nan = ok.dup();
        nan.putScalar(1, 1, Double.NaN);
        assertThatThrownBy(() -> objective.compute(nan, ok))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("za").hasMessageContaining("NaN");
        INDArray inf = ok.castTo(DataType.FLOAT);
        inf.putScalar(0, 0, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> objective.compute(ok.castTo(DataType.FLOAT), inf))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("zb").hasMessageContaining("infinite");
    }
}
