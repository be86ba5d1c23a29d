package org.crossl.api;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A self-supervised loss between two views' global embeddings, with its analytic gradient.
 * Pure function of {@code za, zb: [B, Dz]}; no parameters.
 */
public interface SSLObjective {

    /** Names of the weighted terms reported by {@link #compute}, in a stable order. */
    List<String> termNames();

    ObjectiveResult compute(INDArray za, INDArray zb);
}
