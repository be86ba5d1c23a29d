package org.crossl.core.train;

import java.nio.FloatBuffer;
import org.crossl.api.nn.Contiguous;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.nn.Parameter;
import org.crossl.core.config.OptimizerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma & Ba 2015) with bias correction, as Keras computes it:
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code θ ← θ − lr_t·m/(sqrt(v) + ε)} with {@code lr_t = lr·sqrt(1−β2^t)/(1−β1^t)} (Keras' form of
 * the bias correction; ε plays the role of Keras' "epsilon hat").
 * Parameters marked for decay get {@code 2·l2·θ} added to their gradient first (Keras' L2 kernel
 * regulariser).
 */
public final class Adam {
    private final OptimizerConfig config;
    private final List<Parameter> params;
    private final List<INDArray> m = new ArrayList<>();
    private final List<INDArray> v = new ArrayList<>();
    private long step;

    public Adam(OptimizerConfig config, List<Parameter> params) {
        this.config = config;
        this.params = List.copyOf(params);
        for (Parameter p : params) {
            m.add(p.value().ulike().assign(0));
            v.add(p.value().ulike().assign(0));
        }
    }

    public void zeroGrad() {
        for (Parameter p : params) {
            p.grad().assign(0);
        }
    }

    /** Applies one update from the accumulated gradients. */
    public void step() {
        step++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double lrT = config.learningRate() * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
        // Keras folds the bias corrections into the step size and adds ε to sqrt(v) unscaled.
        double eps = config.epsilon();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            INDArray g = p.grad();
            if (fusable(p.value(), g, m.get(i), v.get(i))) {
                fused(p.value(), g, m.get(i), v.get(i), p.decay() && config.l2() > 0 ? (float) (2 * config.l2()) : 0f,
                        (float) b1, (float) b2, (float) lrT, (float) eps);
                continue;
            }
            if (p.decay() && config.l2() > 0) {
                g.addi(p.value().mul(2 * config.l2()));
            }
            m.get(i).muli(b1).addi(g.mul(1 - b1));
            v.get(i).muli(b2).addi(g.mul(g).muli(1 - b2));
            INDArray update = m.get(i).div(Transforms.sqrt(v.get(i), true).addi(eps)).muli(lrT);
            p.value().subi(update);
        }
    }

    /** float32, row-major, int-addressable: one pass in Java instead of ~10 ND4J ops and temporaries. */
    private static boolean fusable(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !Contiguous.isRowMajor(a) || !Contiguous.fitsIntIndexing(a)) {
                return false;
            }
        }
        return true;
    }

    /** The same update as the ND4J ops below, element by element in float32; the gradient keeps the decay term. */
    private static void fused(INDArray theta, INDArray grad, INDArray m, INDArray v, float decay, float b1, float b2, float lrT, float eps) {
        FloatBuffer t = Contiguous.floatBuffer(theta);
        FloatBuffer g = Contiguous.floatBuffer(grad);
        FloatBuffer mb = Contiguous.floatBuffer(m);
        FloatBuffer vb = Contiguous.floatBuffer(v);
        int to = (int) theta.offset();
        int go = (int) grad.offset();
        int mo = (int) m.offset();
        int vo = (int) v.offset();
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        int n = (int) theta.length();
        for (int k = 0; k < n; k++) {
            float th = t.get(to + k);
            float gk = g.get(go + k);
            if (decay != 0f) {
                gk += th * decay;
                g.put(go + k, gk);
            }
            float mk = mb.get(mo + k) * b1 + gk * c1;
            float vk = vb.get(vo + k) * b2 + gk * gk * c2;
            mb.put(mo + k, mk);
            vb.put(vo + k, vk);
            t.put(to + k, th - mk / ((float) Math.sqrt(vk) + eps) * lrT);
        }
    }

    public long steps() {
        return step;
    }

    /** Puts back a state saved from {@link #steps()} and {@link #state()}, for resuming from a checkpoint. */
    public void restore(long steps, List<INDArray> state) {
        if (state.size() != 2 * params.size()) {
            throw new IllegalArgumentException("optimizer state has " + state.size() + " arrays, expected " + 2 * params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            m.get(i).assign(state.get(i));
            v.get(i).assign(state.get(params.size() + i));
        }
        this.step = steps;
    }

    /** The moment estimates, for checkpoints: m then v, in parameter order. */
    public List<INDArray> state() {
        List<INDArray> s = new ArrayList<>(m);
        s.addAll(v);
        return s;
    }
}
