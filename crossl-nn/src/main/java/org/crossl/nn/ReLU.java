package org.crossl.nn;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@code y = max(x, 0)}; the gradient at 0 is taken as 0. */
public final class ReLU implements Layer {
    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        INDArray y = Transforms.relu(x, true);
        return Forward.of(y, g -> g.mul(y.gt(0).castTo(g.dataType())));
    }
}
