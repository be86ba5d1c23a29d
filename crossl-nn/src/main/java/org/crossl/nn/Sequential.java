package org.crossl.nn;

import java.util.ArrayList;
import java.util.List;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(List<? extends Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return all;
    }

    @Override
    public Forward forward(INDArray x, Pass pass) {
        List<Forward> steps = new ArrayList<>(layers.size());
        INDArray h = x;
        for (Layer l : layers) {
            Forward f = l.forward(h, pass);
            steps.add(f);
            h = f.output();
        }
        INDArray out = h;
        return Forward.of(out, g -> {
            INDArray grad = g;
            for (int i = steps.size() - 1; i >= 0; i--) {
                grad = steps.get(i).backward(grad);
            }
            return grad;
        });
    }
}
