package org.crossl.losses;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Barlow Twins (Zbontar, Jing, Misra, LeCun &amp; Deny, ICML 2021) between the two views' global
 * embeddings, with analytic gradients.
 *
 * <p>Inputs {@code za, zb: [B, D]} (B ≥ 2, D ≥ 1, same floating-point data type, finite). Each view
 * is standardised per dimension over the batch, as the official implementation's
 * {@code BatchNorm1d(affine=False)} does in training: with {@code z̄ = mean_b z},
 * {@code var_d = (1/B)·Σ_b (z − z̄)[b,d]²} (<b>biased</b>, ÷B) and {@code s_d = sqrt(var_d + ε)},
 * {@code ẑ = (z − z̄)/s}. Then {@code C = ẑaᵀ ẑb / B} ({@code [D, D]}, the cross-correlation; its
 * entries lie in [−1, 1] up to ε) and
 *
 * <pre>
 *   L = scale · ( Σ_i (1 − C_ii)²  +  λ · Σ_{i≠j} C_ij² )
 *       terms: "invariance" = scale · Σ_i (1 − C_ii)²,  "redundancy" = scale · λ · Σ_{i≠j} C_ij²
 * </pre>
 *
 * The sums are not divided by D (the paper's form), so the loss grows with D; {@code scale} = 1/D
 * gives a per-dimension loss, and λ = 1/D is the other common choice of λ.
 *
 * <p>Gradients ({@code [B, D]}, in the input's data type). With {@code G = dL/dC}
 * ({@code G_ii = −2·scale·(1 − C_ii)}, {@code G_ij = 2·scale·λ·C_ij} for i ≠ j):
 *
 * <pre>
 *   dL/dẑa = ẑb · Gᵀ / B,     dL/dẑb = ẑa · G / B
 *   dL/dz  = (g − mean_b(g) − ẑ ⊙ mean_b(g ⊙ ẑ)) / s      (g = dL/dẑ; standardisation backward)
 * </pre>
 *
 * The last line is exact with ε &gt; 0 (it is the batch-norm backward with {@code s} including ε).
 * A constant column gives ẑ = 0 there (finite, thanks to ε) and a zero gradient for it.
 *
 * <p>The objective is a pure function: it keeps no state and never modifies its inputs.
 */
public final class BarlowObjective implements SSLObjective {

    /** Term names, in the order of {@link #termNames()}. */
    public static final String INVARIANCE = "invariance";
    public static final String REDUNDANCY = "redundancy";

    private static final List<String> TERMS = List.of(INVARIANCE, REDUNDANCY);

    private final BarlowConfig config;
    private final double lambda;
    private final double scale;
    private final double epsilon;

    public BarlowObjective(BarlowConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.lambda = config.lambda();
        this.scale = config.scale();
        this.epsilon = config.epsilon();
    }

    /** λ = 5e-3, scale 1, ε = 1e-5. */
    public BarlowObjective() {
        this(BarlowConfig.defaults());
    }

    public BarlowConfig config() {
        return config;
    }

    @Override
    public List<String> termNames() {
        return TERMS;
    }

    @Override
    public ObjectiveResult compute(INDArray za, INDArray zb) {
        ViewPair.check("Barlow Twins", "samples (each dimension is standardised over the batch)", za, zb);
        DataType type = za.dataType();
        long b = za.size(0);
        long d = za.size(1);

        Standardised a = standardise(za);
        Standardised v = standardise(zb);
        INDArray c = a.zhat.transpose().mmul(v.zhat).divi(b); // [D, D]

        INDArray eye = Nd4j.eye(d).castTo(type);
        INDArray diag = c.mul(eye).sum(0); // [D], C_ii
        INDArray onDiag = diag.rsub(1.0); // 1 − C_ii
        double invariance = scale * onDiag.mul(onDiag).sumNumber().doubleValue();
        INDArray off = c.mul(eye.rsub(1.0)); // C with its diagonal zeroed
        double redundancy = scale * lambda * off.mul(off).sumNumber().doubleValue();

        // G = dL/dC: 2·scale·λ·C° off the diagonal, −2·scale·(1 − C_ii) on it
        INDArray g = off.muli(2 * scale * lambda);
        g.addi(eye.mulColumnVector(onDiag.muli(-2 * scale).reshape(d, 1)));

        INDArray gradZhatA = v.zhat.mmul(g.transpose()).divi(b); // [B, D]
        INDArray gradZhatB = a.zhat.mmul(g).divi(b);
        INDArray gradA = a.backward(gradZhatA);
        INDArray gradB = v.backward(gradZhatB);

        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put(INVARIANCE, invariance);
        terms.put(REDUNDANCY, redundancy);
        return new ObjectiveResult(invariance + redundancy, Collections.unmodifiableMap(terms), gradA, gradB);
    }

    /** ẑ = (z − z̄)/s of one view and 1/s, for the backward. */
    private record Standardised(INDArray zhat, INDArray invStd) {
        /** dL/dz from g = dL/dẑ: (g − mean_b g − ẑ ⊙ mean_b(g ⊙ ẑ)) / s. */
        INDArray backward(INDArray g) {
            INDArray m1 = g.mean(true, 0); // [1, D]
            INDArray m2 = g.mul(zhat).mean(true, 0); // [1, D]
            return g.subRowVector(m1).subi(zhat.mulRowVector(m2)).muliRowVector(invStd);
        }
    }

    private Standardised standardise(INDArray z) {
        INDArray zc = z.subRowVector(z.mean(true, 0)); // [B, D], a new array
        // biased variance written out (INDArray.var is bias-corrected by default)
        INDArray var = zc.mul(zc).mean(true, 0); // [1, D]
        INDArray invStd = Transforms.sqrt(var.addi(epsilon), false).rdivi(1.0); // [1, D]
        return new Standardised(zc.muliRowVector(invStd), invStd);
    }
}
