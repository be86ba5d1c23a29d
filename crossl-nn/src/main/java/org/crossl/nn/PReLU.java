package org.crossl.nn;

import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Parametric ReLU with one slope per channel (last axis), shared over time:
 * {@code y = max(x, 0) + a ⊙ min(x, 0)}. The slope starts at {@code initialSlope} (Keras, and so the
 * reference, start at 0; PyTorch at 0.25).
 */
public final class PReLU implements Layer {
    private final Parameter slope;

    public PReLU(String name, int channels, double initialSlope, DataType type) {
        this(new Parameter(name + ".slope", Nd4j.create(type, channels).assign(initialSlope), false));
    }

    /** A layer over an existing parameter (shared with a fused layer). */
    PReLU(Parameter slope) {
        this.slope = slope;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(slope);
    }

    @Override
    public Forward forward(INDArray input, Pass pass) {
        long[] shape = input.shape();
        INDArray x = Rows.of(input);
        INDArray pos = Transforms.relu(x, true);
        INDArray neg = x.sub(pos);
        INDArray y = neg.mulRowVector(slope.value()).addi(pos);
        INDArray out = y.reshape('c', shape);
        return Forward.of(out, gradOut -> {
            INDArray g = Rows.of(gradOut);
            slope.grad().addi(g.mul(neg).sum(0));
            INDArray isPos = pos.gt(0).castTo(g.dataType());
            INDArray gx = g.mul(isPos);
            INDArray gNeg = g.sub(gx).muliRowVector(slope.value());
            return gx.addi(gNeg).reshape('c', shape);
        });
    }
}
