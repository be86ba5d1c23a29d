package org.crossl.aggregators;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.Layer;
import org.crossl.nn.LayerNorm;
import org.crossl.nn.ReLU;
import org.crossl.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference aggregator: flatten {@code [B, M, D] -> [B, M·D]} → Dense 64 ReLU → Dense 32 ReLU →
 * Dense 32 → LayerNorm → Z {@code [B, 32]}. Hidden or absent modalities arrive as zeros; the
 * visibility mask itself is not used.
 */
public final class MlpAggregator implements Aggregator {
    private final int modalities;
    private final int codeSize;
    private final int output;
    private final Sequential net;

    public MlpAggregator(int modalities, int codeSize, MlpConfig config, DataType type, SplittableRandom init) {
        this.modalities = modalities;
        this.codeSize = codeSize;
        this.output = config.output();
        List<Layer> layers = new ArrayList<>();
        int in = modalities * codeSize;
        int i = 0;
        for (int h : config.hidden()) {
            layers.add(new Dense("dense" + i++, in, h, type, init));
            layers.add(new ReLU());
            in = h;
        }
        layers.add(new Dense("dense" + i, in, config.output(), type, init));
        if (config.layerNorm()) {
            layers.add(new LayerNorm("norm", config.output(), LayerNorm.KERAS_EPSILON, type));
        }
        this.net = new Sequential(layers);
    }

    @Override
    public int outputSize() {
        return output;
    }

    @Override
    public Forward aggregate(INDArray embeddings, INDArray visible, Pass pass) {
        if (embeddings.rank() != 3 || embeddings.size(1) != modalities || embeddings.size(2) != codeSize) {
            throw new IllegalArgumentException("mlp aggregator expects [B, " + modalities + ", " + codeSize + "], got "
                    + java.util.Arrays.toString(embeddings.shape()));
        }
        long b = embeddings.size(0);
        INDArray flat = embeddings.dup('c').reshape('c', b, (long) modalities * codeSize);
        Forward f = net.forward(flat, pass);
        return Forward.of(f.output(), g -> f.backward(g).reshape('c', b, modalities, codeSize));
    }

    @Override
    public List<Parameter> parameters() {
        return net.parameters();
    }
}
