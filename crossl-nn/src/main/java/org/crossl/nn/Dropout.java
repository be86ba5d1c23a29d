package org.crossl.nn;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Inverted dropout: in training each element is zeroed with probability {@code rate} and the rest
 * scaled by {@code 1/(1−rate)}; identity at inference. */
public final class Dropout implements Layer {
    private final double rate;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        if (!pass.isTraining() || rate == 0) {
            return Forward.of(x, gradOut -> gradOut);
        }
        INDArray mask = pass.dropoutMask(x.dataType(), 1 - rate, x.shape());
        INDArray y = x.mul(mask);
        return Forward.of(y, gradOut -> gradOut.mul(mask));
    }
}
