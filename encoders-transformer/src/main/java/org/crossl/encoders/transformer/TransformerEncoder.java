package org.crossl.encoders.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Contiguous;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Dense;
import org.crossl.nn.LayerNorm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A patch transformer encoder for one modality, {@code x [B, T, C] -> latent [B, T', D]} with
 * {@code T' = ⌊T / P⌋} (P = patchLength; the trailing {@code T mod P} samples are dropped):
 *
 * <ol>
 *   <li>stem: non-overlapping patches of P samples, each flattened to {@code P·C} values (time-major:
 *       sample 0's channels, then sample 1's …) and projected by a Dense layer to W;</li>
 *   <li>fixed sinusoidal positional encoding added (see {@link SinusoidalPositions});</li>
 *   <li>{@code depth} pre-norm {@link TransformerBlock}s;</li>
 *   <li>a final LayerNorm and a Dense projection W → D.</li>
 * </ol>
 *
 * <p>Pooling is the default mask-aware mean over the T' tokens, so temporal masking hides tokens.
 * Parameters: {@code stem.*}, {@code block<i>.*}, {@code norm.*}, {@code head.*}; none decays.
 * With the defaults (W 64, depth 2, 4 heads, P 8, MLP ×2, D 96) a 3-channel encoder has 74,784
 * parameters: {@code (P·C·W + W) + depth·(4W + 4W² + 3W + 2rW² + rW + W) + 2W + (W·D + D)}.
 */
public final class TransformerEncoder implements Encoder {
    private final ModalitySpec modality;
    private final TransformerConfig config;
    private final Dense stem;
    private final SinusoidalPositions positions;
    private final List<TransformerBlock> blocks;
    private final LayerNorm norm;
    private final Dense head;

    public TransformerEncoder(ModalitySpec modality, TransformerConfig config, DataType type, SplittableRandom init) {
        this.modality = modality;
        this.config = config;
        int w = config.width();
        this.stem = new Dense("stem", config.patchLength() * modality.channels(), w, type, init);
        this.positions = new SinusoidalPositions(w, type);
        List<TransformerBlock> bs = new ArrayList<>();
        for (int i = 0; i < config.depth(); i++) {
            bs.add(new TransformerBlock("block" + i, w, config.heads(), config.mlpRatio(), config.dropout(),
                    config.layerNormEpsilon(), type, init));
        }
        this.blocks = List.copyOf(bs);
        this.norm = new LayerNorm("norm", w, config.layerNormEpsilon(), type);
        this.head = new Dense("head", w, config.codeSize(), type, init);
    }

    public TransformerConfig config() {
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
        requireOnePatch(inputLength);
        return inputLength / config.patchLength();
    }

    private void requireOnePatch(int t) {
        if (t < config.patchLength()) {
            throw new IllegalArgumentException("transformer encoder of '" + modality.name() + "': input length T=" + t
                    + " is shorter than patchLength=" + config.patchLength() + "; use a smaller patchLength or longer windows");
        }
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(stem.parameters());
        for (TransformerBlock b : blocks) {
            all.addAll(b.parameters());
        }
        all.addAll(norm.parameters());
        all.addAll(head.parameters());
        return all;
    }

    @Override
    public Forward encode(INDArray x, Pass pass) {
        int c = modality.channels();
        if (x.rank() != 3 || x.size(2) != c) {
            throw new IllegalArgumentException("transformer encoder of '" + modality.name() + "' expects [B, T, " + c
                    + "], got " + java.util.Arrays.toString(x.shape()));
        }
        int p = config.patchLength();
        int w = config.width();
        int b = (int) x.size(0);
        int t = (int) x.size(1);
        requireOnePatch(t);
        int tokens = t / p;
        INDArray used = tokens * p == t ? x : x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, tokens * p), NDArrayIndex.all());
        INDArray patches = Contiguous.rowMajor(used).reshape('c', (long) b * tokens, (long) p * c);
        Forward fs = stem.forward(patches, pass);
        INDArray h = fs.output(); // a new array: the positions go in place
        h.reshape('c', b, (long) tokens * w).addiRowVector(positions.table(tokens).reshape('c', 1, (long) tokens * w));
        h = h.reshape('c', b, tokens, w);
        List<Forward> steps = new ArrayList<>(blocks.size());
        for (TransformerBlock block : blocks) {
            Forward f = block.forward(h, pass);
            steps.add(f);
            h = f.output();
        }
        Forward fn = norm.forward(h, pass);
        Forward fh = head.forward(fn.output().reshape('c', (long) b * tokens, w), pass);
        INDArray latent = fh.output().reshape('c', b, tokens, config.codeSize());
        long[] inShape = x.shape();
        DataType type = x.dataType();
        return Forward.of(latent, g -> {
            INDArray gh = fh.backward(Contiguous.rowMajor(g).reshape('c', (long) b * tokens, config.codeSize()));
            INDArray gb = fn.backward(gh.reshape('c', b, tokens, w));
            for (int i = steps.size() - 1; i >= 0; i--) {
                gb = steps.get(i).backward(gb);
            }
            INDArray gp = fs.backward(Contiguous.rowMajor(gb).reshape('c', (long) b * tokens, w)); // [B·T', P·C]
            INDArray gx = gp.reshape('c', b, (long) tokens * p, c);
            if (tokens * p == t) {
                return gx;
            }
            INDArray full = Nd4j.zeros(type, inShape);
            full.get(NDArrayIndex.all(), NDArrayIndex.interval(0, tokens * p), NDArrayIndex.all()).assign(gx);
            return full;
        });
    }
}
