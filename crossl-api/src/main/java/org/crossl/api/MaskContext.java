package org.crossl.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a masker may know about the batch it masks.
 *
 * @param presence      {@code [B, M]} 1 where modality m of sample b was recorded
 * @param latentLengths T'_m of each modality's latent sequence
 * @param codeSize      D, the size of each modality embedding
 */
public record MaskContext(INDArray presence, int[] latentLengths, int codeSize) {
    public int batchSize() {
        return (int) presence.size(0);
    }

    public int modalities() {
        return (int) presence.size(1);
    }
}
