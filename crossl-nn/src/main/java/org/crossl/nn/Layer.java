package org.crossl.nn;

import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.crossl.api.nn.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A differentiable map with a hand-written backward pass. See {@link Forward} for the contract. */
public interface Layer extends Trainable {
    Forward forward(INDArray x, Pass pass);
}
