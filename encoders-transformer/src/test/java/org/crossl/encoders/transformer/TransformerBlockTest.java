package org.crossl.encoders.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One pre-norm block alone, float64 finite differences through attention, GELU and both dropouts. */
class TransformerBlockTest {
    private static final DataType F64 = DataType.DOUBLE;

    @Test
    void blockGradientsMatchFiniteDifferencesWithDropout() {
        TransformerBlock block = new TransformerBlock("b", 8, 4, 3, 0.25, 1e-5, F64, new SplittableRandom(6));
        Nd4j.getRandom().setSeed(9);
        for (Parameter p : block.parameters()) {
            if (p.name().endsWith(".bias")) {
                p.value().assign(Nd4j.randn(F64, p.value().shape()).muli(0.5));
            }
        }
        INDArray x = Nd4j.randn(F64, 2, 5, 8);
        GradientCheck.Result r = GradientCheck.check(in -> block.forward(in, Pass.training(new SplittableRandom(13))), x,
                block.parameters(), true, 20, 2);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    }

}
