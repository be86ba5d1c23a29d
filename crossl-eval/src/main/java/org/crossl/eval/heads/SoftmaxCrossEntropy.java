package org.crossl.eval.heads;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean softmax cross-entropy of logits {@code [N, K]} against class indices:
 * {@code L = −(1/N) Σ_n log softmax(z_n)[y_n]}, gradient {@code dL/dz = (softmax(z) − onehot(y)) / N}.
 * Computed with the row maximum subtracted, so large logits do not overflow.
 */
public final class SoftmaxCrossEntropy {

    /** The loss and its gradient. */
    public record Result(double loss, INDArray grad) {
    }

    private SoftmaxCrossEntropy() {
    }

    /** {@code softmax(z)} over each row of {@code [N, K]}, the row maximum subtracted first (the one softmax of the heads). */
    public static INDArray probabilities(INDArray logits) {
        INDArray exp = Transforms.exp(logits.subColumnVector(logits.max(true, 1)), false);
        return exp.diviColumnVector(exp.sum(true, 1));
    }

    public static Result of(INDArray logits, int[] labels) {
        long n = logits.size(0);
        long k = logits.size(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows of logits but " + labels.length + " labels");
        }
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray probs = exp.diviColumnVector(sum);
        INDArray logSum = Transforms.log(sum, true);
        double loss = 0;
        INDArray onehot = Nd4j.zeros(logits.dataType(), n, k);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " outside the " + k + " classes");
            }
            loss -= shifted.getDouble(i, labels[i]) - logSum.getDouble(i, 0);
            onehot.putScalar(i, labels[i], 1.0);
        }
        INDArray grad = probs.sub(onehot).divi(n);
        return new Result(loss / n, grad);
    }
}
