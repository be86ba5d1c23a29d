package org.crossl.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModalityAlignment;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.run.PretrainRun;
import org.crossl.core.train.PretrainResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pretrained CroSSL model with its normaliser: what {@link CrosslTrainer} returns and what
 * {@link #load(Path)} reads back. It embeds raw windows (the normaliser applies inside).
 */
public final class PretrainedModel {
    /** Windows per forward pass in {@link #embed(WindowDataset)}. */
    public static final int EMBED_BATCH = 256;

    private final CrosslModel model;
    private final PretrainResult result;

    /**
     * @param result how training went; null for a model read from disk
     */
    public PretrainedModel(CrosslModel model, PretrainResult result) {
        this.model = Objects.requireNonNull(model, "model");
        this.result = result;
    }

    /** Reads a model saved by {@link #save(Path)} or {@code crossl pretrain} (its run or its {@code model/} directory), with every plugin on the path. */
    public static PretrainedModel load(Path dir) throws IOException {
        return load(dir, Crossl.assembler());
    }

    /** As {@link #load(Path)}, building the components with {@code assembler}. */
    public static PretrainedModel load(Path dir, ModelAssembler assembler) throws IOException {
        return new PretrainedModel(ModelIO.load(PretrainRun.modelDir(dir), assembler), null);
    }

    /**
     * The global embedding Z of every window of {@code data} (raw), {@code [N, Dz]}. Absent
     * modalities (presence 0, or missing from the data altogether) are masked as in training.
     */
    public INDArray embed(WindowDataset data) {
        return model.embed(ModalityAlignment.toModel(model.modalities(), data), EMBED_BATCH);
    }

    /** Writes the versioned model format ({@code model.json}, {@code parameters.bin}) into {@code dir}. */
    public void save(Path dir) throws IOException {
        ModelIO.save(model, dir);
    }

    /**
     * An independent copy (same weights and normaliser, its own arrays), built with
     * {@code assembler} from the model's resolved config: what fine-tuning changes while this one
     * stays as pretrained.
     */
    public PretrainedModel copy(ModelAssembler assembler) {
        org.crossl.core.config.ExperimentConfig cfg = model.resolvedConfig();
        CrosslModel to = assembler.assemble(cfg, model.modalities(), cfg.data()).model();
        var from = model.namedParameters();
        to.namedParameters().forEach((name, p) -> p.value().assign(from.get(name).value()));
        to.setNormalizer(model.normalizer());
        return new PretrainedModel(to, result);
    }

    /** The model itself: encoders, aggregator, projector, normaliser. */
    public CrosslModel model() {
        return model;
    }

    /** The modalities it was built for, in order. */
    public List<ModalitySpec> modalities() {
        return model.modalities();
    }

    /** Size of Z. */
    public int embeddingSize() {
        return model.aggregator().outputSize();
    }

    /** Training history and best epoch; null for a model read from disk. */
    public PretrainResult result() {
        return result;
    }
}
