package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;

import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the objectives' tests share: float64 arrays in and out, and the central-difference check of both views' gradients. */
final class ObjectiveGradients {
    private ObjectiveGradients() {
    }

    static INDArray nd(double[][] z) {
        return Nd4j.createFromArray(z); // DOUBLE
    }

    static double[][] toArray(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /**
     * Asserts that both analytic gradients of {@code objective} at ({@code za}, {@code zb}) match
     * central differences (step 1e-5) to a relative error below 1e-6 in every element; the arrays are
     * perturbed in place and restored.
     */
    static void assertMatchCentralDifferences(SSLObjective objective, double[][] za, double[][] zb) {
        ObjectiveResult r = objective.compute(nd(za), nd(zb));
        double[][] ga = toArray(r.gradA());
        double[][] gb = toArray(r.gradB());
        double h = 1e-5;
        for (int view = 0; view < 2; view++) {
            double[][] target = view == 0 ? za : zb;
            double[][] analytic = view == 0 ? ga : gb;
            for (int i = 0; i < target.length; i++) {
                for (int j = 0; j < target[i].length; j++) {
                    double keep = target[i][j];
                    target[i][j] = keep + h;
                    double plus = objective.compute(nd(za), nd(zb)).loss();
                    target[i][j] = keep - h;
                    double minus = objective.compute(nd(za), nd(zb)).loss();
                    target[i][j] = keep;
                    double numeric = (plus - minus) / (2 * h);
                    double a = analytic[i][j];
                    double rel = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-4);
                    assertThat(rel).as("view %d [%d,%d]: analytic %s numeric %s", view, i, j, a, numeric).isLessThan(1e-6);
                }
            }
        }
    }
}
