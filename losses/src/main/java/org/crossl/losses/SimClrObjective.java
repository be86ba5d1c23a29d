package org.crossl.losses;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * SimCLR's NT-Xent loss (normalised temperature-scaled cross-entropy; Chen et al., ICML 2020)
 * between the two views' global embeddings, with analytic gradients.
 *
 * <p>Inputs {@code za, zb: [B, D]} (B ≥ 2, D ≥ 1, same floating-point data type, finite). Stack
 * them into {@code z = [za; zb]: [2B, D]} so that the positive of anchor {@code i} is
 * {@code p(i) = (i + B) mod 2B} (the other view of the same window). With
 * {@code n_i = sqrt(‖z_i‖² + ε²)} ({@code ε = }{@value #EPSILON}, a smooth version of
 * {@code max(‖z_i‖, ε)}), {@code u_i = z_i / n_i} and {@code s_ij = u_i·u_j / τ}:
 *
 * <pre>
 *   ℓ_i = −s_{i,p(i)} + log Σ_{k≠i} exp(s_ik)        (cross-entropy against the positive; 2B−2 negatives)
 *   L   = (1/2B) · Σ_i ℓ_i                           -> term "nt_xent"
 * </pre>
 *
 * <p>Gradients ({@code [B, D]}, in the input's data type). With {@code P_ik = softmax_{k≠i}(s_ik)}
 * ({@code P_ii = 0}), {@code Y} the one-hot positives ({@code Y_{i,p(i)} = 1}, symmetric) and
 * {@code G = (P − Y)/(2B) = dL/ds}:
 *
 * <pre>
 *   dL/du = (G + Gᵀ) · u / τ                          ([2B, D]; s is symmetric in u_i, u_j)
 *   dL/dz_i = (g_i − u_i (u_i·g_i)) / n_i,  g = dL/du  (through the normalisation)
 * </pre>
 *
 * The last line is exact for {@code n_i = sqrt(‖z_i‖² + ε²)} (not only for ε = 0). Rows
 * {@code 0..B−1} of {@code dL/dz} are {@code dL/dza}, rows {@code B..2B−1} are {@code dL/dzb}. The
 * log-sum-exp subtracts each row's largest off-diagonal similarity, so small temperatures do not
 * overflow (float32 included).
 *
 * <p>The objective is a pure function: it keeps no state and never modifies its inputs.
 */
public final class SimClrObjective implements SSLObjective {

    /** The single term's name. */
    public static final String NT_XENT = "nt_xent";

    /** ε in {@code n = sqrt(‖z‖² + ε²)}: keeps a zero embedding finite (its u is 0). */
    public static final double EPSILON = 1e-12;

    private static final List<String> TERMS = List.of(NT_XENT);

    private final SimClrConfig config;
    private final double tau;

    public SimClrObjective(SimClrConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.tau = config.temperature();
    }

    /** τ = 0.1. */
    public SimClrObjective() {
        this(SimClrConfig.defaults());
    }

    public SimClrConfig config() {
        return config;
    }

    @Override
    public List<String> termNames() {
        return TERMS;
    }

    @Override
    public ObjectiveResult compute(INDArray za, INDArray zb) {
        check(za, zb);
        DataType type = za.dataType();
        int b = (int) za.size(0);
        int n2 = 2 * b;

        INDArray z = Nd4j.concat(0, za, zb).castTo(type); // [2B, D], a new array
        INDArray norm = Transforms.sqrt(z.mul(z).sum(true, 1).addi(EPSILON * EPSILON), false); // [2B, 1]
        INDArray u = z.divColumnVector(norm); // [2B, D]

        INDArray s = u.mmul(u.transpose()).divi(tau); // [2B, 2B], symmetric
        // positive logits: s_{i,p(i)} = u_a[i]·u_b[i]/τ, the same for i and p(i)
        INDArray ua = u.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        INDArray ub = u.get(NDArrayIndex.interval(b, n2), NDArrayIndex.all());
        double positives = ua.mul(ub).sumNumber().doubleValue() / tau; // Σ_{i<B} s_{i,i+B}

        for (int i = 0; i < n2; i++) {
            s.putScalar(i, i, Double.NEGATIVE_INFINITY); // exclude self-similarity (exp → 0)
        }
        INDArray max = s.max(true, 1); // [2B, 1], finite: each row has 2B−1 ≥ 3 other entries
        INDArray e = Transforms.exp(s.subiColumnVector(max), false); // s is ours; diagonal becomes 0
        INDArray rowSum = e.sum(true, 1); // [2B, 1]
        double logSumExp = max.sumNumber().doubleValue() + Transforms.log(rowSum, true).sumNumber().doubleValue();
        double loss = (logSumExp - 2 * positives) / n2;

        // G = (P − Y)/(2B); dL/du = (G + Gᵀ)·u/τ
        INDArray g = e.diviColumnVector(rowSum); // P
        INDArray eye = Nd4j.eye(b).castTo(type);
        g.get(NDArrayIndex.interval(0, b), NDArrayIndex.interval(b, n2)).subi(eye);
        g.get(NDArrayIndex.interval(b, n2), NDArrayIndex.interval(0, b)).subi(eye);
        INDArray sym = g.add(g.transpose()).divi(n2 * tau);
        INDArray gu = sym.mmul(u); // [2B, D]
        // through u = z/n: (g − u (u·g)) / n
        INDArray radial = u.mul(gu).sum(true, 1); // [2B, 1]
        INDArray gz = gu.subi(u.mulColumnVector(radial)).diviColumnVector(norm);

        INDArray gradA = gz.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).dup();
        INDArray gradB = gz.get(NDArrayIndex.interval(b, n2), NDArrayIndex.all()).dup();
        return new ObjectiveResult(loss, Map.of(NT_XENT, loss), gradA, gradB);
    }

    private static void check(INDArray za, INDArray zb) {
        ViewPair.check("SimCLR", "windows (the other windows are the negatives)", za, zb);
        if (za.size(0) > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("SimCLR batch too large for a [2B, 2B] similarity matrix, got B = " + za.size(0));
        }
    }
}
