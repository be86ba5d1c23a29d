package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;

import org.crossl.api.ObjectiveResult;
import java.util.List;
import org.crossl.api.SSLObjective;
import org.crossl.nn.check.GradientCheck;
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
        INDArray a = nd(za);
        INDArray b = nd(zb);
        ObjectiveResult r = objective.compute(a, b);
        GradientCheck.Result g = GradientCheck.checkScalar(() -> objective.compute(a, b).loss(),
                List.of(new GradientCheck.Target("view 0", a, r.gradA()), new GradientCheck.Target("view 1", b, r.gradB())), 1e-5, 1e-4,
                Integer.MAX_VALUE, 0);
        assertThat(g.maxRelativeError()).as(g.worst()).isLessThan(1e-6);
        assertThat(g.checked()).isEqualTo(2 * za.length * za[0].length);
    }
}
