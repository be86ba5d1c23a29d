package org.crossl.aggregators;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.crossl.api.Aggregator;
import org.crossl.api.MaskedMeanPool;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.nn.Attention;
import org.crossl.nn.Dense;
import org.crossl.nn.Dropout;
import org.crossl.nn.LayerNorm;
import org.crossl.nn.ReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Transformer aggregator: the M modality embeddings are tokens, and only the visible ones take part.
 *
 * <pre>
 *   x_t   = E[b, m] + P[m]                   visible token t = (b, m); P [M, D] learned modality embedding
 *   h     = x · W_in + b_in                  only when width W ≠ D
 *   depth × pre-norm block:
 *     h  ← h + Dropout(Attn(LN₁(h)) · W_o + b_o)       multi-head self-attention among the visible
 *     h  ← h + Dropout(ReLU(LN₂(h) · W₁ + b₁) · W₂ + b₂)  tokens of the same sample; MLP width mlpRatio·W
 *   pool  = mean of h over the sample's visible tokens   [B, W]
 *   Z     = LN(pool) · W_z + b_z                         [B, output]
 * </pre>
 *
 * <p>Hidden or absent modalities are dropped before the first layer (see {@link Visibility}): for
 * the attention this is the key mask with scores −∞ (weight exactly 0), and nothing else reads
 * those tokens, so their values never change Z and they receive exactly zero gradient. Pooling is
 * the masked mean rather than a learned query token: the blocks already mix the modalities, the
 * mean keeps Z's scale independent of how many modalities are visible, and it adds no parameters
 * (with M ≤ a dozen tokens, attention pooling would add a whole extra attention layer for little).
 *
 * <p>Every backward is hand-written: the Dense, LayerNorm, ReLU and Dropout layers of
 * {@code crossl-nn} and its attention core {@link Attention} (run on the padded {@code [B, M]} token
 * grid with the hidden modalities as masked keys), the pooling and the gather/scatter of the visible
 * tokens in {@link Visibility}.
 */
public final class AttentionAggregator implements Aggregator {
    /** Standard deviation of the modality embeddings at initialisation (ViT/BERT's 0.02). */
    static final double MODALITY_INIT_STD = 0.02;

    private final int modalities;
    private final int codeSize;
    private final int width;
    private final int heads;
    private final Parameter modality;
    private final Dense input; // null when width == codeSize
    private final List<Block> blocks;
    private final LayerNorm norm;
    private final Dense head;
    private final List<Parameter> parameters;

    public AttentionAggregator(int modalities, int codeSize, AttentionConfig config, DataType type, SplittableRandom init) {
        if (modalities < 1 || codeSize < 1) {
            throw new IllegalArgumentException("attention aggregator needs M >= 1 and D >= 1, got M = " + modalities + ", D = " + codeSize);
        }
        this.modalities = modalities;
        this.codeSize = codeSize;
        this.width = config.widthFor(codeSize);
        this.heads = config.heads();
        double[] p = new double[modalities * codeSize];
        for (int i = 0; i < p.length; i++) {
            p[i] = MODALITY_INIT_STD * init.nextGaussian();
        }
        this.modality = new Parameter("modality", Visibility.array(p, type, modalities, codeSize), false);
        this.input = width == codeSize ? null : new Dense("input", codeSize, width, type, init);
        List<Block> bs = new ArrayList<>();
        for (int i = 0; i < config.depth(); i++) {
            bs.add(new Block("block" + i, width, heads, width * config.mlpRatio(), config.dropout(), type, init));
        }
        this.blocks = List.copyOf(bs);
        this.norm = new LayerNorm("norm", width, 1e-5, type);
        this.head = new Dense("output", width, config.output(), type, init);
        List<Parameter> all = new ArrayList<>();
        all.add(modality);
        if (input != null) {
            all.addAll(input.parameters());
        }
        for (Block b : blocks) {
            all.addAll(b.parameters());
        }
        all.addAll(norm.parameters());
        all.addAll(head.parameters());
        this.parameters = List.copyOf(all);
    }

    @Override
    public int outputSize() {
        return head.out();
    }

    /** W, the token width. */
    public int width() {
        return width;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Forward aggregate(INDArray embeddings, INDArray visible, Pass pass) {
        if (embeddings.rank() != 3 || embeddings.size(1) != modalities || embeddings.size(2) != codeSize) {
            throw new IllegalArgumentException("attention aggregator expects [B, " + modalities + ", " + codeSize + "], got "
                    + java.util.Arrays.toString(embeddings.shape()));
        }
        DataType type = embeddings.dataType();
        Visibility vis = Visibility.of(visible, embeddings.size(0), modalities, "attention aggregator");

        // tokens: visible embeddings plus their modality embedding
        INDArray x = vis.gather(embeddings); // [N, D]
        INDArray rowsP = modality.value().getRows(modalityIndex(vis)); // [N, D]
        x.addi(rowsP.castTo(type));
        Forward in = input == null ? null : input.forward(x, pass);
        INDArray h = in == null ? x : in.output();
        List<Forward> steps = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            Forward f = b.forward(h, vis, visible, pass);
            steps.add(f);
            h = f.output();
        }
        Forward pool = MaskedMeanPool.forward(vis.scatter(h), visible); // [B, W], the library's one masked mean
        INDArray pooled = pool.output();
        Forward fn = norm.forward(pooled, pass);
        Forward fz = head.forward(fn.output(), pass);

        return Forward.of(fz.output(), g -> {
            INDArray gh = vis.gather(pool.backward(fn.backward(fz.backward(g)))); // [N, W]
            for (int i = steps.size() - 1; i >= 0; i--) {
                gh = steps.get(i).backward(gh);
            }
            INDArray gx = in == null ? gh : in.backward(gh); // [N, D]
            INDArray gp = vis.modalityOneHot(gx.dataType()).mmul(gx); // [M, D]: each token's gradient to its modality's row
            modality.accumulate(gp.castTo(modality.value().dataType()));
            return vis.scatter(gx);
        });
    }

    private static int[] modalityIndex(Visibility vis) {
        int[] idx = new int[vis.count()];
        for (int t = 0; t < idx.length; t++) {
            idx[t] = vis.modality(t);
        }
        return idx;
    }

    /** One pre-norm transformer block over the visible tokens. */
    private static final class Block {
        private final int width;
        private final int heads;
        private final LayerNorm norm1;
        private final Dense qkv;
        private final Dense proj;
        private final Dropout drop1;
        private final LayerNorm norm2;
        private final Dense fc1;
        private final ReLU relu = new ReLU();
        private final Dense fc2;
        private final Dropout drop2;

        Block(String name, int width, int heads, int hidden, double dropout, DataType type, SplittableRandom init) {
            this.width = width;
            this.heads = heads;
            this.norm1 = new LayerNorm(name + ".norm1", width, 1e-5, type);
            this.qkv = new Dense(name + ".qkv", width, 3 * width, type, init);
            this.proj = new Dense(name + ".proj", width, width, type, init);
            this.drop1 = new Dropout(dropout);
            this.norm2 = new LayerNorm(name + ".norm2", width, 1e-5, type);
            this.fc1 = new Dense(name + ".fc1", width, hidden, type, init);
            this.fc2 = new Dense(name + ".fc2", hidden, width, type, init);
            this.drop2 = new Dropout(dropout);
        }

        List<Parameter> parameters() {
            List<Parameter> all = new ArrayList<>();
            all.addAll(norm1.parameters());
            all.addAll(qkv.parameters());
            all.addAll(proj.parameters());
            all.addAll(norm2.parameters());
            all.addAll(fc1.parameters());
            all.addAll(fc2.parameters());
            return all;
        }

        /** Attention runs on the padded {@code [B·M]} token grid with the hidden modalities as masked keys. */
        Forward forward(INDArray h, Visibility vis, INDArray visible, Pass pass) {
            int batch = vis.batch();
            int m = (int) visible.size(1);
            Forward n1 = norm1.forward(h, pass);
            Forward q = qkv.forward(n1.output(), pass);
            INDArray grid = vis.scatter(q.output()).reshape('c', (long) batch * m, 3L * width);
            Forward att = Attention.forward(grid, batch, m, heads, visible);
            Forward p = proj.forward(vis.gather(att.output().reshape('c', batch, m, width)), pass);
            Forward d1 = drop1.forward(p.output(), pass);
            INDArray h1 = h.add(d1.output());

            Forward n2 = norm2.forward(h1, pass);
            Forward f1 = fc1.forward(n2.output(), pass);
            Forward r = relu.forward(f1.output(), pass);
            Forward f2 = fc2.forward(r.output(), pass);
            Forward d2 = drop2.forward(f2.output(), pass);
            INDArray h2 = h1.add(d2.output());

            return Forward.of(h2, g -> {
                INDArray gh1 = g.add(n2.backward(f1.backward(r.backward(f2.backward(d2.backward(g))))));
                INDArray go = vis.scatter(p.backward(d1.backward(gh1))).reshape('c', (long) batch * m, width);
                INDArray gq = vis.gather(att.backward(go).reshape('c', batch, m, 3L * width));
                return gh1.addi(n1.backward(q.backward(gq)));
            });
        }
    }
}
