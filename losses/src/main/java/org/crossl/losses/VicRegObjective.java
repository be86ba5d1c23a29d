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
 * VICReg (Bardes, Ponce &amp; LeCun, ICLR 2022) exactly as the CroSSL reference code computes it, with
 * analytic gradients.
 *
 * <p>Inputs {@code za, zb: [B, D]} (the global embeddings of two masked views, B ≥ 2, D ≥ 1, same
 * floating-point data type, finite). With {@code z̄ = mean_b z} (per column),
 * {@code z_c = z − z̄} (batch-centred), {@code var_d(z) = (1/B)·Σ_b z_c[b,d]²} (biased, ÷B),
 * {@code s_d(z) = sqrt(var_d(z) + ε)} and {@code C(z) = z_cᵀ z_c / (B−1)} ({@code [D, D]}):
 *
 * <pre>
 *   inv(za, zb) = (1/(B·D)) · Σ_{b,d} (za − zb)[b,d]²                 (mean squared error)
 *   V(z)        = (1/D) · Σ_d relu(1 − s_d(z))                        (hinge on the std)
 *   Cov(z)      = (1/D) · Σ_{i≠j} C(z)[i,j]²                          (off-diagonal covariance)
 *
 *   L = λ·inv(za, zb) + μ·(V(za) + V(zb))/2 + ν·(Cov(za) + Cov(zb))
 * </pre>
 *
 * <p>Note that, as in the reference, the variance term is the <em>average</em> over the two views but
 * the covariance term is their <em>sum</em> (the VICReg paper's formulation is the same; it is
 * stated here because other implementations average both). The reported {@link
 * ObjectiveResult#terms() terms} are the weighted parts {@code invariance = λ·inv},
 * {@code variance = μ·(V(za)+V(zb))/2}, {@code covariance = ν·(Cov(za)+Cov(zb))}, which add up to
 * the loss.
 *
 * <p>Gradients ({@code [B, D]}, in the input's data type), with {@code a_d = 1[s_d < 1]} the
 * derivative of the hinge (0 at the kink {@code s_d = 1}, like relu's) and {@code C°} the covariance
 * with its diagonal zeroed:
 *
 * <pre>
 *   dL/dza = (2λ/(B·D))·(za − zb) − (μ/2)·z_c(za) ⊙ (a(za) / (B·D·s(za))) + (4ν/(D·(B−1)))·z_c(za)·C°(za)
 *   dL/dzb = (2λ/(B·D))·(zb − za) − (μ/2)·z_c(zb) ⊙ (a(zb) / (B·D·s(zb))) + (4ν/(D·(B−1)))·z_c(zb)·C°(zb)
 * </pre>
 *
 * (the back-propagation through the centring vanishes because both terms are already centred
 * column-wise). At a complete collapse (all rows equal) {@code z_c = 0}, so the variance and
 * covariance gradients are exactly zero even though the variance term is {@code μ·(1 − sqrt(ε))}.
 *
 * <p>The objective is a pure function: it keeps no state and never modifies its inputs.
 */
public final class VicRegObjective implements SSLObjective {

    /** Term names, in the order of {@link #termNames()}. */
    public static final String INVARIANCE = "invariance";
    public static final String VARIANCE = "variance";
    public static final String COVARIANCE = "covariance";

    private static final List<String> TERMS = List.of(INVARIANCE, VARIANCE, COVARIANCE);

    private final VicRegConfig config;
    private final double lambda;
    private final double mu;
    private final double nu;
    private final double epsilon;

    public VicRegObjective(VicRegConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.lambda = config.invariance();
        this.mu = config.variance();
        this.nu = config.covariance();
        this.epsilon = config.epsilon();
    }

    /** The reference preset (10/10/100, ε = 1e-4). */
    public VicRegObjective() {
        this(VicRegConfig.defaults());
    }

    public VicRegConfig config() {
        return config;
    }

    @Override
    public List<String> termNames() {
        return TERMS;
    }

    @Override
    public ObjectiveResult compute(INDArray za, INDArray zb) {
        check(za, zb);
        long b = za.size(0);
        long d = za.size(1);

        INDArray diff = za.sub(zb);
        double inv = diff.mul(diff).meanNumber().doubleValue();
        INDArray gradInv = diff.muli(2.0 * lambda / ((double) b * d)); // diff is ours; reuse it

        View a = view(za);
        View v = view(zb);

        double invariance = lambda * inv;
        double variance = mu * (a.variance + v.variance) / 2;
        double covariance = nu * (a.covariance + v.covariance);

        INDArray gradA = gradInv.dup().addi(a.gradVariance.muli(mu / 2)).addi(a.gradCovariance.muli(nu));
        INDArray gradB = gradInv.negi().addi(v.gradVariance.muli(mu / 2)).addi(v.gradCovariance.muli(nu));

        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put(INVARIANCE, invariance);
        terms.put(VARIANCE, variance);
        terms.put(COVARIANCE, covariance);
        return new ObjectiveResult(invariance + variance + covariance, Collections.unmodifiableMap(terms), gradA, gradB);
    }

    /** Unweighted per-view parts and their gradients. */
    private record View(double variance, double covariance, INDArray gradVariance, INDArray gradCovariance) {
    }

    /** V(z), Cov(z) and dV/dz, dCov/dz for one view {@code z: [B, D]}. */
    private View view(INDArray z) {
        DataType type = z.dataType();
        long b = z.size(0);
        long d = z.size(1);

        INDArray zc = z.subRowVector(z.mean(true, 0)); // [B, D], batch-centred
        // Biased variance written out (INDArray.var is bias-corrected by default).
        INDArray var = zc.mul(zc).mean(true, 0); // [1, D]
        INDArray std = Transforms.sqrt(var.addi(epsilon), false); // [1, D]
        INDArray hinge = Transforms.relu(std.rsub(1.0), false); // relu(1 - s)
        double variance = hinge.meanNumber().doubleValue();
        // dV/dz[b,d] = -1[s_d < 1] · z_c[b,d] / (B·D·s_d)
        INDArray scale = std.lt(1.0).castTo(type).divi(std).muli(-1.0 / ((double) b * d)); // [1, D]
        INDArray gradVariance = zc.mulRowVector(scale);

        INDArray cov = zc.transpose().mmul(zc).divi(b - 1); // [D, D]
        INDArray off = cov.muli(Nd4j.eye(d).castTo(type).rsubi(1.0)); // zero the diagonal
        double covariance = off.mul(off).sumNumber().doubleValue() / d;
        // dCov/dz = (2/D)·C° through C = z_cᵀz_c/(B−1): 2·z_c·(2/D)C°/(B−1)
        INDArray gradCovariance = zc.mmul(off).muli(4.0 / ((double) d * (b - 1)));

        return new View(variance, covariance, gradVariance, gradCovariance);
    }

    private static void check(INDArray za, INDArray zb) {
        ViewPair.check("VICReg", "samples (variance and covariance are over the batch)", za, zb);
    }
}
