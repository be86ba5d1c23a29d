package org.crossl.encoders.transformer;

import org.crossl.nn.Gelu;
import org.crossl.nn.MultiHeadSelfAttention;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Pass;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Timing, not a test: runs only with {@code -Dcrossl.bench=true}. Median forward+backward time of a
 * float32 training pass on {@code [64, 128, 3]}, and batched vs per-batch-element attention matmuls.
 */
class TransformerBenchTest {
    private static final ModalitySpec ACC = new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist");

    @Test
    void forwardBackwardTime() {
        assumeTrue(Boolean.getBoolean("crossl.bench"), "set -Dcrossl.bench=true to time");
        for (int patch : new int[] {8, 4}) {
            TransformerConfig cfg = new TransformerConfig(null, null, null, null, patch, null, null, null);
            TransformerEncoder e = new TransformerEncoder(ACC, cfg, DataType.FLOAT, new SplittableRandom(0));
            INDArray x = Nd4j.randn(DataType.FLOAT, 64, 128, 3);
            INDArray g = Nd4j.randn(DataType.FLOAT, 64, 128 / patch, 96);
            SplittableRandom rng = new SplittableRandom(1);
            double[] fwd = new double[60];
            double[] both = new double[60];
            for (int i = 0; i < 80; i++) {
                long t0 = System.nanoTime();
                Forward f = e.encode(x, Pass.training(rng.split()));
                long t1 = System.nanoTime();
                f.backward(g);
                long t2 = System.nanoTime();
                if (i >= 20) {
                    fwd[i - 20] = (t1 - t0) / 1e6;
                    both[i - 20] = (t2 - t0) / 1e6;
                }
            }
            System.out.printf("BENCH patch %d (T'=%d): forward %.1f ms, forward+backward %.1f ms (medians of 60), params %d%n",
                    patch, 128 / patch, median(fwd), median(both), e.parameterCount());
        }
    }

    @Test
    void batchedVersusLoopedMatmul() {
        assumeTrue(Boolean.getBoolean("crossl.bench"), "set -Dcrossl.bench=true to time");
        for (int t : new int[] {16, 32, 64}) {
            INDArray q = Nd4j.randn(DataType.FLOAT, 64 * 4, t, 16);
            INDArray k = Nd4j.randn(DataType.FLOAT, 64 * 4, t, 16);
            double[] batched = new double[50];
            double[] looped = new double[50];
            for (int i = 0; i < 70; i++) {
                long t0 = System.nanoTime();
                Nd4j.matmul(q, k, false, true, false);
                long t1 = System.nanoTime();
                INDArray out = Nd4j.create(DataType.FLOAT, 64 * 4, t, t);
                for (int b = 0; b < 64 * 4; b++) {
                    out.slice(b).assign(q.slice(b).mmul(k.slice(b).transpose()));
                }
                long t2 = System.nanoTime();
                if (i >= 20) {
                    batched[i - 20] = (t1 - t0) / 1e6;
                    looped[i - 20] = (t2 - t1) / 1e6;
                }
            }
            System.out.printf("BENCH QK^T [256,%d,16]: batched %.2f ms, loop over 256 slices %.2f ms%n", t, median(batched), median(looped));
        }
    }

    @Test
    void partsBreakdown() {
        assumeTrue(Boolean.getBoolean("crossl.bench"), "set -Dcrossl.bench=true to time");
        SplittableRandom rng = new SplittableRandom(3);
        INDArray h = Nd4j.randn(DataType.FLOAT, 64, 16, 64);
        INDArray rows = h.reshape(1024, 64);
        org.crossl.nn.LayerNorm ln = new org.crossl.nn.LayerNorm("ln", 64, 1e-5, DataType.FLOAT);
        org.crossl.nn.Dense fc = new org.crossl.nn.Dense("fc", 64, 128, DataType.FLOAT, rng);
        Gelu gelu = new Gelu();
        org.crossl.nn.Dropout drop = new org.crossl.nn.Dropout(0.1);
        MultiHeadSelfAttention att = new MultiHeadSelfAttention("a", 64, 4, DataType.FLOAT, rng);
        INDArray g128 = Nd4j.randn(DataType.FLOAT, 1024, 128);
        INDArray s = Nd4j.randn(DataType.FLOAT, 4096, 16);
        time("layerNorm fwd+bwd [1024,64]", () -> ln.forward(h, Pass.inference()).backward(h));
        time("dense 64->128 fwd+bwd [1024]", () -> fc.forward(rows, Pass.inference()).backward(g128));
        time("gelu fwd+bwd [1024,128]", () -> gelu.forward(g128, Pass.inference()).backward(g128));
        time("dropout fwd+bwd [1024,64]", () -> drop.forward(h, Pass.training(rng.split())).backward(h));
        time("attention fwd+bwd [64,16,64]", () -> att.forward(h, Pass.inference()).backward(h));
        time("attention fwd [64,16,64]", () -> att.forward(h, Pass.inference()));
        time("split permute-dup [1024,64]", () -> rows.reshape('c', 64, 16, 4, 16).permute(0, 2, 1, 3).dup('c'));
        time("add [64,16,64]", () -> h.add(h));
        time("sum(true,1) [4096,16]", () -> s.sum(true, 1));
        time("mean(true,1) [1024,64]", () -> rows.mean(true, 1));
        time("subColumnVector [1024,64]", () -> rows.subColumnVector(rows.mean(true, 1)));
    }

    private static void time(String what, Runnable r) {
        double[] v = new double[60];
        for (int i = 0; i < 90; i++) {
            long t0 = System.nanoTime();
            r.run();
            if (i >= 30) {
                v[i - 30] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf("BENCH %-32s %8.3f ms%n", what, median(v));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
