package org.crossl.api;

import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.crossl.api.nn.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * E_m: maps the windows of one modality to a latent sequence, and pools it to the modality
 * embedding Q_m.
 *
 * <p>Shapes: {@link #encode} takes {@code x: [B, T, C_m]} and returns a latent sequence
 * {@code [B, T', D]} with {@code T' = latentLength(T)} and {@code D = codeSize()}. The latent time
 * axis is exposed (rather than only the pooled vector) so that temporal masking can hide spans of it
 * before pooling. {@link #pool} reduces {@code [B, T', D]} to {@code [B, D]} over the visible steps.
 *
 * <p>One encoder instance serves one modality; encoders never share weights.
 */
public interface Encoder extends Trainable {

    /** The modality this encoder was built for. */
    ModalitySpec modality();

    /** D, the size of each latent vector and of the pooled embedding. */
    int codeSize();

    /** T' for an input of T samples. */
    int latentLength(int inputLength);

    /** Forward pass: {@code x [B, T, C_m] -> latent [B, T', D]}; backward returns {@code null}. */
    Forward encode(INDArray x, Pass pass);

    /**
     * Pools a latent sequence over the visible time steps:
     * {@code Q[b, d] = Σ_t keep[b,t]·L[b,t,d] / Σ_t keep[b,t]}.
     *
     * <p>Contract for overrides: pooling must be a deterministic function of its inputs, linear in
     * {@code latent}. The model pools once per step for all views without a time mask and runs
     * that pooling's backward once, on the sum of the views' gradients.
     *
     * @param latent   {@code [B, T', D]}
     * @param timeKeep {@code [B, T']} 0/1, or {@code null} for all steps visible; every row must keep
     *                 at least one step
     * @return a pass whose output is {@code [B, D]} and whose backward returns dL/d(latent)
     */
    default Forward pool(INDArray latent, INDArray timeKeep, Pass pass) {
        return MaskedMeanPool.forward(latent, timeKeep);
    }
}
