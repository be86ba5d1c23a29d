package org.crossl.api;

import java.util.SplittableRandom;

/**
 * Draws one masked view of the latent modality embeddings. CroSSL draws two independent views per
 * batch. Contract (docs: method.md, "Our contract"): the mask ratio is the fraction hidden; absent
 * modalities stay hidden; no sample loses all of its present modalities.
 */
public interface Masker {
    LatentMask sample(MaskContext context, SplittableRandom random);
}
