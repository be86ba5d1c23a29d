package org.crossl.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.crossl.api.MaskedMeanPool;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Conv1d;
import org.crossl.nn.Dropout;
import org.crossl.nn.LayerNorm;
import org.crossl.nn.NormActDropout;
import org.crossl.nn.PReLU;
import org.crossl.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot kernels of a training step of the reference model, one TCN layer at a time, at the
 * PyTorch peer's shapes (batch 64, 512 samples): each layer's convolution forward and backward,
 * the fused LayerNorm → PReLU → dropout against the three separate layers, and mean pooling. Every
 * invocation runs inside an ND4J workspace, as a training step does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
public class KernelBenchmarks {

    private static final WorkspaceConfiguration WS = WorkspaceConfiguration.builder().initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP).build();

    /** The reference TCN's layers: input channels x output channels x kernel. */
    @Param({"3x24x24", "24x48x16", "48x96x8"})
    public String layer;

    @Param({"64"})
    public int batch;

    @Param({"512"})
    public int length;

    private Conv1d conv;
    private NormActDropout fused;
    private Sequential separate;
    private INDArray x;
    private INDArray h;
    private INDArray gradOut;
    private Forward convForward;

    @Setup
    public void setUp() {
        String[] p = layer.split("x");
        int ci = Integer.parseInt(p[0]);
        int co = Integer.parseInt(p[1]);
        int k = Integer.parseInt(p[2]);
        SplittableRandom rng = new SplittableRandom(0);
        conv = new Conv1d("conv", ci, co, k, DataType.FLOAT, rng);
        fused = new NormActDropout("norm", "prelu", co, 1e-3, 0, 0.1, false, DataType.FLOAT);
        separate = new Sequential(List.of(new LayerNorm("norm", co, 1e-3, DataType.FLOAT), new PReLU("prelu", co, 0, DataType.FLOAT),
                new Dropout(0.1)));
        Nd4j.getRandom().setSeed(1);
        x = Nd4j.randn(DataType.FLOAT, batch, length, ci);
        h = Nd4j.randn(DataType.FLOAT, batch, length, co);
        gradOut = Nd4j.randn(DataType.FLOAT, batch, length, co);
        convForward = conv.forward(x, Pass.inference());
    }

    private static <T> T inWorkspace(String id, java.util.function.Supplier<T> work) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS, id)) {
            T t = work.get();
            return t;
        }
    }

    @Benchmark
    public double convForward() {
        return inWorkspace("conv-fwd", () -> conv.forward(x, Pass.inference()).output().getDouble(0));
    }

    @Benchmark
    public double convBackward() {
        return inWorkspace("conv-bwd", () -> convForward.backward(gradOut).getDouble(0));
    }

    @Benchmark
    public double fusedNormActDropoutForwardBackward() {
        return inWorkspace("fused", () -> {
            Forward f = fused.forward(h, Pass.training(new SplittableRandom(2)));
            return f.backward(gradOut).getDouble(0);
        });
    }

    @Benchmark
    public double separateLayerNormPReLUDropoutForwardBackward() {
        return inWorkspace("separate", () -> {
            Forward f = separate.forward(h, Pass.training(new SplittableRandom(2)));
            return f.backward(gradOut).getDouble(0);
        });
    }

    @Benchmark
    public double meanPoolForwardBackward() {
        return inWorkspace("pool", () -> {
            Forward f = MaskedMeanPool.forward(h, null);
            return f.backward(f.output()).getDouble(0);
        });
    }
}
