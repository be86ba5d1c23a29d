package org.crossl.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.core.config.ProjectorConfig;
import org.crossl.nn.Dense;
import org.crossl.nn.Layer;
import org.crossl.nn.LayerNorm;
import org.crossl.nn.ReLU;
import org.crossl.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The pretraining-only projector of {@link ProjectorConfig}: {@code [B, Dz] → [B, h_k]}. Parameters
 * are named {@code projector.dense<i>.*} and {@code projector.norm<i>.*}.
 */
public final class Projector implements Layer {
    private final Sequential layers;

    public Projector(int in, ProjectorConfig config, DataType type, SplittableRandom rng) {
        List<Layer> ls = new ArrayList<>();
        int width = in;
        List<Integer> widths = config.layers();
        for (int i = 0; i < widths.size(); i++) {
            ls.add(new Dense("dense" + i, width, widths.get(i), type, rng.split()));
            if (i < widths.size() - 1) {
                ls.add(new LayerNorm("norm" + i, widths.get(i), 1e-5, type));
                ls.add(new ReLU());
            }
            width = widths.get(i);
        }
        this.layers = new Sequential(ls);
    }

    @Override
    public List<Parameter> parameters() {
        return layers.parameters();
    }

    @Override
    public Forward forward(INDArray z, Pass pass) {
        return layers.forward(z, pass);
    }
}
