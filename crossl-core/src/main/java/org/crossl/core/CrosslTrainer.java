package org.crossl.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.Checkpoints;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.Pretrainer;
import org.crossl.core.train.TrainingListener;

/**
 * Pretrains a CroSSL model from a config and data in one call:
 * <pre>
 * ExperimentConfig config = ExperimentConfig.load(Path.of("my.yaml"));
 * DataSplits splits = CrosslTrainer.loadData(config, Path.of("../shared/data"));
 * PretrainedModel model = CrosslTrainer.fit(config, splits);
 * INDArray z = model.embed(splits.test());            // [N, Dz]
 * model.save(Path.of("out/model"));
 * </pre>
 * The steps in order, which every caller (the CLI's {@code pretrain} and {@code evaluate}, library
 * users) gets the same way: assemble the model from the config's plugins; when the config says
 * {@code normalize: true} (the default) fit a per-channel normaliser on the training windows, attach
 * it to the model and apply it to the training and validation windows; train with the configured
 * masker, objective, optimiser and schedule, keeping the best validation epoch. Data passed in is
 * raw: the returned model normalises whatever it embeds by itself.
 *
 * <p>{@link #builder(ExperimentConfig)} adds a progress listener, checkpoints, another assembler
 * (extra plugins, a dataset cache) or a normaliser fitted elsewhere.
 */
public final class CrosslTrainer {
    private final ExperimentConfig config;
    private final ModelAssembler assembler;
    private final TrainingListener listener;
    private final Checkpoints checkpoints;
    private final Normalizer normalizer;
    private final org.crossl.core.config.Section resolvedData;

    private CrosslTrainer(Builder b) {
        this.resolvedData = b.resolvedData;
        this.config = b.config;
        this.assembler = b.assembler != null ? b.assembler : Crossl.assembler();
        this.listener = b.listener;
        this.checkpoints = b.checkpoints;
        this.normalizer = b.normalizer;
    }

    /** Pretrains with {@code config} on the raw {@code splits} (training and validation windows are used). */
    public static PretrainedModel fit(ExperimentConfig config, DataSplits splits) {
        return builder(config).build().fit(splits);
    }

    /** Reads and windows the data that {@code config}'s {@code data:} section names, under {@code dataRoot}. */
    public static DataSplits loadData(ExperimentConfig config, Path dataRoot) {
        return Crossl.assembler().loadData(config, dataRoot).splits();
    }

    public static Builder builder(ExperimentConfig config) {
        return new Builder(config);
    }

    /**
     * A model assembled and ready to train: its normaliser is set, and {@code train} and
     * {@code validation} are the normalised windows it trains on.
     */
    public record Prepared(ModelAssembler.Assembled assembled, WindowDataset train, WindowDataset validation, Normalizer normalizer) {
    }

    /** Assembles the model and normalises the data, without training; {@link #fit(Prepared)} trains it. */
    public Prepared prepare(DataSplits splits) {
        ModelAssembler.Assembled a = assembler.assemble(config, splits.train().modalities(), resolvedData);
        Normalizer norm = normalizer != null ? normalizer : config.normalize() ? Normalizer.fit(splits.train()) : null;
        WindowDataset train = splits.train();
        WindowDataset val = splits.validation();
        if (norm != null) {
            train = norm.apply(train);
            val = norm.apply(val);
            a.model().setNormalizer(norm);
        }
        return new Prepared(a, train, val, norm);
    }

    /** Assembles, normalises and trains. */
    public PretrainedModel fit(DataSplits splits) {
        return fit(prepare(splits));
    }

    /**
     * Trains a prepared model.
     *
     * @throws CheckpointIOException when a checkpoint cannot be written or read
     */
    public PretrainedModel fit(Prepared p) {
        ModelAssembler.Assembled a = p.assembled();
        Pretrainer trainer = new Pretrainer(a.model(), a.masker(), a.objective(), config.optimizer(), config.training(), config.seed(), listener);
        PretrainResult result;
        try {
            result = checkpoints == null ? trainer.fit(p.train(), p.validation()) : trainer.fit(p.train(), p.validation(), checkpoints);
        } catch (IOException e) { // only checkpoints do I/O in the trainer
            throw new CheckpointIOException(e);
        }
        return new PretrainedModel(a.model(), result);
    }

    /** A checkpoint could not be written or read; the cause says what happened. */
    public static final class CheckpointIOException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        public CheckpointIOException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Options of a {@link CrosslTrainer}; only the config is required. */
    public static final class Builder {
        private final ExperimentConfig config;
        private ModelAssembler assembler;
        private TrainingListener listener;
        private Checkpoints checkpoints;
        private Normalizer normalizer;
        private org.crossl.core.config.Section resolvedData;

        private Builder(ExperimentConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Builds the components (default {@link Crossl#assembler()}: every plugin on the class or module path). */
        public Builder assembler(ModelAssembler assembler) {
            this.assembler = assembler;
            return this;
        }

        /** Hears every batch and epoch. */
        public Builder listener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        /** Saves (and resumes from) checkpoints there; by default nothing is written. */
        public Builder checkpoints(Checkpoints checkpoints) {
            this.checkpoints = checkpoints;
            return this;
        }

        /**
         * Uses this normaliser (fitted on the same training windows, say, shared by several
         * pretrainings) instead of fitting one; it applies even when the config says
         * {@code normalize: false}.
         */
        public Builder normalizer(Normalizer normalizer) {
            this.normalizer = normalizer;
            return this;
        }

        /**
         * The {@code data:} section as the dataset provider resolved it (every default filled,
         * {@link ModelAssembler.LoadedData#resolvedSection()}), recorded in the model's config;
         * by default the config's section as written.
         */
        public Builder resolvedData(org.crossl.core.config.Section resolvedData) {
            this.resolvedData = resolvedData;
            return this;
        }

        public CrosslTrainer build() {
            return new CrosslTrainer(this);
        }
    }
}
