package org.crossl.api;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one masked view keeps of the modality embeddings. All entries are 0 (hidden) or 1 (kept).
 *
 * @param modalityKeep {@code [B, M]}: whole modalities kept; always 0 where the modality is absent,
 *                     and at least one present modality kept per sample that has one
 * @param timeKeep     per modality {@code [B, T'_m]} time steps of the latent sequence kept before
 *                     pooling (at least one per row), or {@code null} when no temporal masking
 * @param elementKeep  {@code [B, M, D]} individual latent elements kept after pooling, or {@code null}
 */
public record LatentMask(INDArray modalityKeep, List<INDArray> timeKeep, INDArray elementKeep) {
}
