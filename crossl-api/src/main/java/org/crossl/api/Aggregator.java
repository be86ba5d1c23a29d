package org.crossl.api;

import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.crossl.api.nn.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A: maps the (masked) set of modality embeddings to the global embedding Z.
 *
 * <p>Shapes: {@code embeddings [B, M, D]} (hidden or absent modalities are zeroed), {@code visible
 * [B, M]} 0/1 (1 where the modality is present and not hidden by the masker) and output
 * {@code Z [B, outputSize()]}. Backward returns dL/d(embeddings), {@code [B, M, D]}. Aggregators may
 * use {@code visible} (attention masks) or ignore it (the reference MLP sees zeros).
 */
public interface Aggregator extends Trainable {

    /** Dz, the size of the global embedding. */
    int outputSize();

    Forward aggregate(INDArray embeddings, INDArray visible, Pass pass);
}
