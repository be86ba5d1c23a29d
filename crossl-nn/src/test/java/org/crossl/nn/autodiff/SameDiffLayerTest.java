package org.crossl.nn.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.ReLU;
import org.crossl.nn.Sequential;
import org.crossl.nn.check.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The forward-only path: a SameDiff definition's backward against finite differences and against hand-written layers. */
class SameDiffLayerTest {
    private static final DataType F64 = DataType.DOUBLE;

    /** relu(x·W + b) over the last axis of {@code [B, T, C]}, written once as SameDiff ops. */
    private static SameDiffLayer denseRelu(Dense dense) {
        List<Parameter> p = dense.parameters(); // weight [in, out], bias [1, out]
        return SameDiffLayer.of(p, (sd, x, v) -> {
            long[] s = x.getShape(); // a graph is built per input shape, so shapes are known here
            long rows = s.length == 3 ? s[0] * s[1] : s[0];
            SDVariable y = sd.nn().relu(x.reshape(rows, s[s.length - 1]).mmul(v.get(0)).add(v.get(1)), 0);
            return s.length == 3 ? y.reshape(s[0], s[1], -1) : y;
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Dense dense = new Dense("d", 4, 5, F64, new SplittableRandom(1));
        dense.parameters().get(1).value().assign(Nd4j.randn(F64, 1, 5).muli(0.3));
        SameDiffLayer layer = denseRelu(dense);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(F64, 3, 6, 4);
        GradientCheck.Result r = GradientCheck.check(in -> layer.forward(in, Pass.inference()), x, layer.parameters(), true, 40, 3);
        assertThat(r.checked()).isGreaterThan(60);
        assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-6);
    }

    @Test
    void matchesTheHandWrittenLayersExactlyEnough() {
        Dense dense = new Dense("d", 4, 5, F64, new SplittableRandom(3));
        dense.parameters().get(1).value().assign(Nd4j.randn(F64, 1, 5).muli(0.3));
        SameDiffLayer auto = denseRelu(dense);
        Sequential manual = new Sequential(List.of(dense, new ReLU()));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(F64, 7, 4);
        INDArray x3 = x.reshape(1, 7, 4);
        INDArray g = Nd4j.randn(F64, 7, 5);

        Forward m = manual.forward(x, Pass.inference());
        INDArray dxManual = m.backward(g);
        INDArray dwManual = dense.parameters().get(0).grad().dup();
        dense.parameters().forEach(p -> p.grad().assign(0));
        Forward a = auto.forward(x3, Pass.inference());
        INDArray dxAuto = a.backward(g.reshape(1, 7, 5));

        assertThat(a.output().reshape(7, 5).sub(m.output()).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(dxAuto.reshape(7, 4).sub(dxManual).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(dense.parameters().get(0).grad().sub(dwManual).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void seesParametersUpdatedInPlaceAndAccumulatesGradients() {
        Dense dense = new Dense("d", 4, 5, DataType.FLOAT, new SplittableRandom(5));
        SameDiffLayer layer = denseRelu(dense);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 4);
        INDArray before = layer.forward(x, Pass.inference()).output();
        dense.parameters().get(1).value().addi(1f); // as Adam does: in place
        INDArray after = layer.forward(x, Pass.inference()).output();
        assertThat(after.sumNumber().doubleValue()).isGreaterThan(before.sumNumber().doubleValue() + 1);

        INDArray g = Nd4j.ones(DataType.FLOAT, 2, 3, 5);
        layer.forward(x, Pass.inference()).backward(g);
        INDArray once = dense.parameters().get(1).grad().dup();
        layer.forward(x, Pass.inference()).backward(g);
        assertThat(dense.parameters().get(1).grad()).isEqualTo(once.mul(2));
        // another input shape builds another graph over the same parameters
        assertThat(layer.forward(Nd4j.rand(DataType.FLOAT, 1, 2, 4), Pass.inference()).output().shape()).containsExactly(1, 2, 5);
    }

    /** As in training: each step inside a workspace that is reset after it; the graph must keep nothing of a step. */
    @Test
    void stepsInsideAResetWorkspaceGiveTheSameGradientsAsOutsideOne() {
        Dense dense = new Dense("d", 4, 5, DataType.FLOAT, new SplittableRandom(7));
        SameDiffLayer layer = denseRelu(dense);
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 6, 4);
        INDArray g = Nd4j.randn(DataType.FLOAT, 3, 6, 5);
        layer.forward(x, Pass.inference()).backward(g);
        INDArray reference = dense.parameters().get(0).grad().dup();
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration conf = org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                .initialSize(0).policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.FIRST_LOOP).build();
        for (int step = 0; step < 3; step++) {
            dense.parameters().forEach(p -> p.grad().assign(0));
            INDArray dx;
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "samediff-test")) {
                INDArray xw = x.dup(); // in the workspace, like a step's activations
                dx = layer.forward(xw, Pass.inference()).backward(g.dup()).detach();
            }
            assertThat(dense.parameters().get(0).grad().sub(reference).amaxNumber().doubleValue()).as("step %d", step).isLessThan(1e-6);
            assertThat(dx.shape()).containsExactly(3, 6, 4);
        }
    }

    @Test
    void refusesParametersOfMixedTypes() {
        Parameter a = new Parameter("a", Nd4j.zeros(DataType.FLOAT, 2), false);
        Parameter b = new Parameter("b", Nd4j.zeros(DataType.DOUBLE, 2), false);
        assertThatThrownBy(() -> SameDiffLayer.of(List.of(a, b), (sd, x, v) -> x)).hasMessageContaining("parameter 'b' is DOUBLE but 'a' is FLOAT");
    }
}
