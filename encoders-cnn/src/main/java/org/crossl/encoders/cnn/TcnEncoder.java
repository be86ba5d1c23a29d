package org.crossl.encoders.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Conv1d;
import org.crossl.nn.Layer;
import org.crossl.nn.NormActDropout;
import org.crossl.nn.Sequential;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CroSSL reference encoder ("TCN"): per layer l, Conv1D(widths[l], kernels[l], 'same') →
 * LayerNorm over channels → PReLU (slope per channel) → Dropout (the last three fused in
 * {@link NormActDropout}); the latent sequence keeps the input's length. Pooling (mask-aware mean over time) gives Q_m ∈ R^D.
 *
 * <p>Shapes: {@code x [B, T, C_m] -> latent [B, T, D]}. With the defaults (24/48/96 filters, kernels
 * 24/16/8) a 3-channel encoder has 57,696 parameters, as in the reference.
 */
public final class TcnEncoder implements Encoder {
    private final ModalitySpec modality;
    private final TcnConfig config;
    private final Sequential net;

    public TcnEncoder(ModalitySpec modality, TcnConfig config, DataType type, SplittableRandom init) {
        this.modality = modality;
        this.config = config;
        List<Layer> layers = new ArrayList<>();
        int in = modality.channels();
        for (int l = 0; l < config.widths().size(); l++) {
            int w = config.widths().get(l);
            // the first layer reads the raw windows: no input gradient to compute
            layers.add(new Conv1d("conv" + l, in, w, config.kernels().get(l), type, init, l > 0));
            // LayerNorm -> PReLU -> dropout fused; x̂ may overwrite the convolution's output, which nothing else reads
            layers.add(new NormActDropout("norm" + l, "prelu" + l, w, config.layerNormEpsilon(), config.preluInit(), config.dropout(), true, type));
            in = w;
        }
        this.net = new Sequential(layers);
    }

    public TcnConfig config() {
        return config;
    }

    @Override
    public ModalitySpec modality() {
        return modality;
    }

    @Override
    public int codeSize() {
        return config.codeSize();
    }

    @Override
    public int latentLength(int inputLength) {
        return inputLength;
    }

    @Override
    public Forward encode(INDArray x, Pass pass) {
        if (x.rank() != 3 || x.size(2) != modality.channels()) {
            throw new IllegalArgumentException("tcn encoder of '" + modality.name() + "' expects [B, T, " + modality.channels()
                    + "], got " + java.util.Arrays.toString(x.shape()));
        }
        return net.forward(x, pass);
    }

    @Override
    public List<Parameter> parameters() {
        return net.parameters();
    }
}
