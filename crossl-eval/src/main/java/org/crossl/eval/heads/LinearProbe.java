package org.crossl.eval.heads;

import java.util.List;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.Workspaces;
import org.crossl.core.model.CrosslModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A quick read of what pretraining learned: multinomial logistic regression on the frozen global
 * embedding Z, fitted on every labelled training window, scored on every labelled test window.
 * Features are standardised with training statistics; full-batch gradient descent with Adam
 * (learning rate 0.05, 500 iterations, L2 1e-4), deterministic. This is not the few-label protocol
 * of the evaluation issue: it uses all training labels and no fine-tuning.
 */
public final class LinearProbe {
    private LinearProbe() {
    }

    /** Probe result: test metrics, plus how many windows were used. */
    public record Result(ClassificationMetrics test, int trainWindows, int classes) {
    }

    /** What {@code method} in run.json's {@code linearProbe} says. */
    public static final String METHOD = "multinomial logistic regression on frozen Z; all labelled training windows; every labelled test window";

    /** This probe as the pretraining run's first reading of Z ({@code crossl pretrain} without {@code --no-probe}). */
    public static org.crossl.core.run.EmbeddingProbe.Reading reading(CrosslModel model, WindowDataset train, WindowDataset test) {
        Result r = fitAndScore(model, train, test);
        return r == null ? null : new org.crossl.core.run.EmbeddingProbe.Reading(METHOD, r.test().accuracy(), r.test().macroF1(),
                r.test().perClassF1(), r.trainWindows(), r.test().count(), r.classes());
    }

    public static Result fitAndScore(CrosslModel model, WindowDataset train, WindowDataset test) {
        int[] trainIdx = Downstream.labelled(train);
        int[] testIdx = Downstream.labelled(test);
        if (trainIdx.length < 2 || testIdx.length == 0) {
            return null;
        }
        List<String> classes = train.classNames();
        INDArray zTrain = model.embed(train.subset(trainIdx), 256).castTo(DataType.DOUBLE);
        INDArray zTest = model.embed(test.subset(testIdx), 256).castTo(DataType.DOUBLE);
        INDArray mean = zTrain.mean(0);
        INDArray std = zTrain.std(false, 0).addi(1e-8);
        INDArray xTrain = zTrain.subRowVector(mean).diviRowVector(std);
        INDArray xTest = zTest.subRowVector(mean).diviRowVector(std);
        int[] yTrain = labels(train, trainIdx);
        int[] yTest = labels(test, testIdx);
        int k = classes.size();
        int d = (int) xTrain.size(1);
        int n = yTrain.length;
        INDArray onehot = Nd4j.zeros(DataType.DOUBLE, n, k);
        for (int i = 0; i < n; i++) {
            onehot.putScalar(i, yTrain[i], 1.0);
        }
        INDArray w = Nd4j.zeros(DataType.DOUBLE, d, k);
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 1, k);
        INDArray mw = w.like();
        INDArray vw = w.like();
        INDArray mb = b.like();
        INDArray vb = b.like();
        double lr = 0.05;
        double l2 = 1e-4;
        for (int step = 1; step <= 500; step++) {
            int t = step;
            Workspaces.run("crossl-probe-step", () -> {
            INDArray p = softmax(xTrain.mmul(w).addiRowVector(b));
            INDArray g = p.subi(onehot).divi(n);
            INDArray gw = xTrain.transpose().mmul(g).addi(w.mul(2 * l2));
            INDArray gb = g.sum(true, 0);
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            mw.muli(0.9).addi(gw.mul(0.1));
            vw.muli(0.999).addi(gw.mul(gw).muli(0.001));
            mb.muli(0.9).addi(gb.mul(0.1));
            vb.muli(0.999).addi(gb.mul(gb).muli(0.001));
            w.subi(mw.div(c1).divi(Transforms.sqrt(vw.div(c2)).addi(1e-8)).muli(lr));
            b.subi(mb.div(c1).divi(Transforms.sqrt(vb.div(c2)).addi(1e-8)).muli(lr));
            });
        }
        INDArray scores = xTest.mmul(w).addiRowVector(b);
        int[] predicted = scores.argMax(1).toIntVector();
        return new Result(ClassificationMetrics.of(yTest, predicted, classes), n, k);
    }

    private static INDArray softmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(-1, 1));
        INDArray e = Transforms.exp(shifted, false);
        return e.diviColumnVector(e.sum(1).reshape(-1, 1));
    }

    private static int[] labels(WindowDataset d, int[] idx) {
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = d.label(idx[i]);
        }
        return y;
    }
}
