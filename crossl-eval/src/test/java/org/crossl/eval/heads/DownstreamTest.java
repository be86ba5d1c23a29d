package org.crossl.eval.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.OptimizerConfig;
import org.crossl.core.model.CrosslModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Softmax cross-entropy by hand and by finite differences; probe and fine-tune heads that learn. */
class DownstreamTest {

    @Test
    void crossEntropyByHandAndByFiniteDifferences() {
        // logits [0, ln 3] for label 1: softmax = [1/4, 3/4], loss = −ln(3/4); label 0: −ln(1/4)
        INDArray z = Nd4j.createFromArray(new double[][] {{0, Math.log(3)}, {0, Math.log(3)}});
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.of(z, new int[] {1, 0});
        assertThat(r.loss()).isCloseTo((-Math.log(0.75) - Math.log(0.25)) / 2, within(1e-12));
        assertThat(r.grad().getDouble(0, 1)).isCloseTo((0.75 - 1) / 2, within(1e-12));
        assertThat(r.grad().getDouble(1, 0)).isCloseTo((0.25 - 1) / 2, within(1e-12));
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 4).muli(3);
        int[] y = {0, 3, 2, 2, 1};
        INDArray g = SoftmaxCrossEntropy.of(x, y).grad();
        // a floor of 1: the error is absolute for gradients below 1, as the 1e-8 tolerance was
        var check = org.crossl.nn.check.GradientCheck.checkScalar(() -> SoftmaxCrossEntropy.of(x, y).loss(),
                List.of(new org.crossl.nn.check.GradientCheck.Target("logits", x, g)), 1e-6, 1, Integer.MAX_VALUE, 0);
        assertThat(check.maxRelativeError()).as(check.worst()).isLessThan(1e-8);
        assertThat(check.checked()).isEqualTo(20);
    }

    static final List<ModalitySpec> MODS = List.of(new ModalitySpec("acc", List.of("x", "y"), 10, "wrist"),
            new ModalitySpec("gyro", List.of("x"), 10, "wrist"));

    /** Two classes: class 1 windows carry a +1.5 offset on acc channel 0; gyro is noise. */
    static WindowDataset data(int n, long seed) {
        return data(n, seed, Nd4j.ones(DataType.FLOAT, n, 2));
    }

    static WindowDataset data(int n, long seed, INDArray presence) {
        Nd4j.getRandom().setSeed(seed);
        INDArray acc = Nd4j.randn(DataType.FLOAT, n, 16, 2);
        INDArray gyro = Nd4j.randn(DataType.FLOAT, n, 16, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            if (labels[i] == 1) {
                acc.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(0)).addi(1.5);
            }
        }
        return new WindowDataset(MODS, List.of(acc, gyro), presence, labels, new int[n], List.of("rest", "move"));
    }

    static CrosslModel model() {
        String cfg = """
                name: tiny
                seed: 1
                data: {type: none}
                encoders: {default: {type: tcn, codeSize: 8, widths: [4, 8], kernels: [3, 3], dropout: 0.1}}
                masker: {type: spatial}
                aggregator: {type: mlp, hidden: [8], output: 6}
                objective: {type: vicreg}
                """;
        return Crossl.assembler().assemble(ExperimentConfig.parse(cfg, "tiny.yaml", true), MODS, null).model();
    }

    @Test
    void probeLearnsWithAFrozenModelAndFineTuningMovesIt() {
        WindowDataset train = data(80, 1);
        WindowDataset val = data(30, 2);
        WindowDataset test = data(40, 3);
        int[] all = Downstream.labelled(train);
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        for (CrosslModel.Features f : CrosslModel.Features.values()) {
            CrosslModel m = model();
            Map<String, Parameter> before = m.namedParameters();
            INDArray w0 = before.values().iterator().next().value().dup();
            Downstream.Trained probe = Downstream.fit(m, train, all, val,
                    new Downstream.Settings(Downstream.Mode.PROBE, f, 40, 16, 10, adam), 5);
            assertThat(probe.score(test).accuracy()).as("probe on " + f).isGreaterThan(0.85);
            assertThat(before.values().iterator().next().value()).isEqualTo(w0); // frozen

            CrosslModel fresh = model();
            INDArray v0 = fresh.namedParameters().values().iterator().next().value().dup();
            Downstream.Trained tuned = Downstream.fit(fresh, train, all, val,
                    new Downstream.Settings(Downstream.Mode.FINETUNE, f, 15, 16, 5, adam), 5);
            assertThat(tuned.score(test).accuracy()).as("fine-tune on " + f).isGreaterThan(0.85);
            assertThat(fresh.namedParameters().values().iterator().next().value()).isNotEqualTo(v0);
            assertThat(tuned.bestEpoch()).isBetween(1, 15);
        }
    }

    @Test
    void aProbeReadingCachedFeaturesScoresAsOneComputingThem() {
        WindowDataset train = data(60, 1);
        WindowDataset val = data(20, 2);
        WindowDataset test = data(30, 3);
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        Downstream.Settings s = new Downstream.Settings(Downstream.Mode.PROBE, CrosslModel.Features.GLOBAL, 8, 8, 8, adam);
        CrosslModel m = model();
        Downstream.FeatureCache cache = new Downstream.FeatureCache();
        int[] few = {0, 1, 4, 7, 10, 13, 20, 33};
        for (int[] idx : new int[][] {few, Downstream.labelled(train)}) { // two fractions share one cache
            ClassificationMetrics plain = Downstream.fit(m, train, idx, val, s, 4).score(test);
            ClassificationMetrics cached = Downstream.fit(m, train, idx, val, s, 4, cache).score(test);
            assertThat(cached.macroF1()).isCloseTo(plain.macroF1(), within(1e-9));
            assertThat(cached.confusion()).isEqualTo(plain.confusion());
        }
    }

    @Test
    void theSameSeedGivesTheSameHead() {
        WindowDataset train = data(40, 1);
        WindowDataset val = data(20, 2);
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        Downstream.Settings s = new Downstream.Settings(Downstream.Mode.PROBE, CrosslModel.Features.GLOBAL, 5, 8, 5, adam);
        int[] a = Downstream.fit(model(), train, Downstream.labelled(train), val, s, 9).predict(val);
        int[] b = Downstream.fit(model(), train, Downstream.labelled(train), val, s, 9).predict(val);
        assertThat(a).containsExactly(b);
    }

    @Test
    void theMlpHeadLearnsAndTheFineTuningRecipeProtectsTheModel() {
        WindowDataset train = data(80, 1);
        WindowDataset val = data(30, 2);
        WindowDataset test = data(40, 3);
        int[] all = Downstream.labelled(train);
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        Downstream.Trained mlp = Downstream.fit(model(), train, all, val, new Downstream.Settings(Downstream.Mode.PROBE, CrosslModel.Features.BOTH,
                30, 16, 10, adam, Downstream.Classifier.MLP, 1.0, 0), 5);
        assertThat(mlp.score(test).accuracy()).isGreaterThan(0.85);
        assertThat(mlp.bestValidationMacroF1()).isEqualTo(mlp.validationMacroF1()[mlp.bestEpoch() - 1]);

        // head-only epochs: with as many epochs as head-only ones, the model does not move at all
        CrosslModel frozen = model();
        INDArray w0 = frozen.namedParameters().values().iterator().next().value().dup();
        Downstream.Trained headOnly = Downstream.fit(frozen, train, all, val, new Downstream.Settings(Downstream.Mode.FINETUNE,
                CrosslModel.Features.GLOBAL, 3, 16, 1, adam, Downstream.Classifier.LINEAR, 1.0, 3), 5);
        assertThat(frozen.namedParameters().values().iterator().next().value()).isEqualTo(w0);
        assertThat(headOnly.validationMacroF1()).hasSize(3); // patience 1 never stops the head-only epochs

        // a smaller backbone rate moves the model less over the same steps
        double[] moved = new double[2];
        double[] scales = {1.0, 0.01};
        for (int k = 0; k < 2; k++) {
            CrosslModel m = model();
            INDArray v0 = m.namedParameters().values().iterator().next().value().dup();
            Downstream.fit(m, train, all, val, new Downstream.Settings(Downstream.Mode.FINETUNE, CrosslModel.Features.GLOBAL, 2, 16, 5, adam,
                    Downstream.Classifier.LINEAR, scales[k], 0), 5);
            moved[k] = m.namedParameters().values().iterator().next().value().sub(v0).norm2Number().doubleValue();
        }
        assertThat(moved[1]).isGreaterThan(0).isLessThan(moved[0] * 0.1);
    }

    @Test
    void aProbeImputesAnAbsentModalitysBlockWithItsTrainingMean() {
        WindowDataset train = data(60, 1);
        WindowDataset val = data(20, 2);
        INDArray gyroAbsent = Nd4j.ones(DataType.FLOAT, 30, 2);
        for (int i = 0; i < 30; i += 2) {
            gyroAbsent.putScalar(i, 1, 0); // every other test window lacks the gyroscope
        }
        WindowDataset test = data(30, 3, gyroAbsent);
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        for (CrosslModel.Features f : List.of(CrosslModel.Features.MODALITIES, CrosslModel.Features.BOTH)) {
            CrosslModel m = model();
            Downstream.Trained probe = Downstream.fit(m, train, Downstream.labelled(train), val,
                    new Downstream.Settings(Downstream.Mode.PROBE, f, 6, 8, 6, adam), 4);
            INDArray[] st = probe.standardisation();
            // by hand: the gyroscope's block (the last 8 columns) of an absent window replaced by the training mean
            INDArray x = Downstream.features(m, f, test, 256);
            long from = m.featureSize(f) - 8;
            for (int i = 0; i < 30; i += 2) {
                for (long c = from; c < from + 8; c++) {
                    assertThat(x.getDouble(i, c)).isZero(); // what an absent encoder gives
                    x.putScalar(i, c, st[0].getDouble(c));
                }
            }
            INDArray logits = probe.head().forward(x.subRowVector(st[0]).diviRowVector(st[1]), org.crossl.api.nn.Pass.inference()).output();
            int[] expected = new int[30];
            for (int i = 0; i < 30; i++) {
                expected[i] = logits.getDouble(i, 1) > logits.getDouble(i, 0) ? 1 : 0;
            }
            assertThat(probe.predict(test)).as(f.toString()).containsExactly(expected);
            Downstream.Trained cached = Downstream.fit(m, train, Downstream.labelled(train), val,
                    new Downstream.Settings(Downstream.Mode.PROBE, f, 6, 8, 6, adam), 4, new Downstream.FeatureCache());
            assertThat(cached.score(test).confusion()).isEqualTo(probe.score(test).confusion());
        }
    }

    @Test
    void aProbesStatisticsCountOnlyTheRowsWhereAColumnIsPresent() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 10}, {3, 0}, {5, 20}});
        INDArray present = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}, {1, 1}});
        INDArray[] st = Downstream.standardisation(x, present);
        assertThat(st[0].toDoubleVector()).containsExactly(new double[] {3, 15}, within(1e-12));
        assertThat(st[1].toDoubleVector()).containsExactly(new double[] {Math.sqrt(8.0 / 3) + 1e-6, 5 + 1e-6}, within(1e-12));
        INDArray z = Downstream.standardised(x, st, present);
        assertThat(z.getDouble(1, 1)).isZero();
        assertThat(z.getDouble(2, 1)).isCloseTo(5 / (5 + 1e-6), within(1e-12));
        // nothing absent: the plain statistics
        INDArray[] plain = Downstream.standardisation(x, null);
        assertThat(plain[0].toDoubleVector()).containsExactly(new double[] {3, 10}, within(1e-12));
        // a column present in one row (or none) has no spread: σ = 1, not 1e-6
        INDArray once = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}, {1, 0}});
        INDArray[] few = Downstream.standardisation(x, once);
        assertThat(few[0].getDouble(1)).isCloseTo(10, within(1e-12));
        assertThat(few[1].getDouble(1)).isEqualTo(1.0);
        INDArray[] none = Downstream.standardisation(x, Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {1, 0}}));
        assertThat(none[0].getDouble(1)).isZero();
        assertThat(none[1].getDouble(1)).isEqualTo(1.0);
    }

    @Test
    void aProbeTrainsOnWindowsThatLackAModality() {
        INDArray somePresent = Nd4j.ones(DataType.FLOAT, 60, 2);
        for (int i = 0; i < 60; i += 3) {
            somePresent.putScalar(i, 1, 0); // a third of the training windows lack the gyroscope
        }
        WindowDataset train = data(60, 1, somePresent);
        WindowDataset val = data(20, 2);
        WindowDataset test = data(40, 3, somePresent.get(NDArrayIndex.interval(0, 40), NDArrayIndex.all()));
        OptimizerConfig adam = new OptimizerConfig(null, 0.01, null, null, null, 0.0);
        CrosslModel m = model();
        Downstream.Trained probe = Downstream.fit(m, train, Downstream.labelled(train), val,
                new Downstream.Settings(Downstream.Mode.PROBE, CrosslModel.Features.BOTH, 20, 8, 20, adam), 4);
        // the gyroscope's statistics come from the windows that have it: their mean, not diluted by the zeros
        INDArray x = Downstream.features(m, CrosslModel.Features.BOTH, train, 256);
        long from = m.featureSize(CrosslModel.Features.BOTH) - 8;
        double sum = 0;
        for (int i = 0; i < 60; i++) {
            sum += i % 3 == 0 ? 0 : x.getDouble(i, from);
        }
        assertThat(probe.standardisation()[0].getDouble(from)).isCloseTo(sum / 40, within(1e-5));
        assertThat(probe.score(test).accuracy()).isGreaterThan(0.85); // the class is in the accelerometer
    }
}
