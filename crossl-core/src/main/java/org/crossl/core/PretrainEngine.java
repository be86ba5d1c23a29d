package org.crossl.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.crossl.api.data.DataSplits;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.Checkpoints;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;

/**
 * Where pretraining's steps run. {@code local} (this JVM, the path of {@link CrosslTrainer}) is
 * built in; other engines (crossl-spark's {@code spark}) are found by {@link #name()} with
 * {@link ServiceLoader}, so the core never depends on them. A run directory, its
 * {@code run.json}, checkpoints and model are the same whichever engine trains.
 */
public interface PretrainEngine {
    /** The name given to {@code --engine}. */
    String name();

    /**
     * Reads what the run needs to know about the data (wherever the engine reads the windows) and
     * assembles the model that will be trained; trains nothing yet.
     *
     * @param options engine options from the command line ({@code master} for Spark), none for local
     */
    Session open(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, Map<String, String> options);

    /** An opened run: the assembled model, what the data is, and its training. */
    interface Session extends AutoCloseable {
        /** The model on this JVM; {@link #fit} leaves its parameters at the best epoch. */
        ModelAssembler.Assembled assembled();

        /** The data description recorded in {@code run.json} (a {@code DataSummary}-like object, written with Jackson). */
        Object dataDescription();

        int trainWindows();

        int validationWindows();

        /** The raw splits when the windows are in this JVM (a linear probe can read them); empty when they are elsewhere. */
        Optional<DataSplits> localSplits();

        /**
         * The engine and its settings, recorded in {@code run.json} under {@code engine} and used to
         * reopen the engine on {@code --resume}; a checkpoint is only resumed by the same settings.
         */
        Map<String, Object> record(); // insertion-ordered (LinkedHashMap) or one key: its JSON text keys checkpoints

        /**
         * Trains, continuing from the newest checkpoint in {@code checkpoints} if there is one.
         *
         * @throws CrosslTrainer.CheckpointIOException when a checkpoint cannot be written or read
         */
        PretrainResult fit(TrainingListener listener, Checkpoints checkpoints);

        @Override
        void close();
    }

    /** The engine called {@code name}: {@code local}, or one on the class or module path. */
    static PretrainEngine named(String name) {
        if (name == null || name.equals(LocalEngine.NAME)) {
            return new LocalEngine();
        }
        return Services.named(ServiceLoader.load(PretrainEngine.class, PretrainEngine.class.getClassLoader()), PretrainEngine::name, "--engine", name, "", List.of(LocalEngine.NAME), "spark");
    }

    /** This JVM: the data is read here, and {@link CrosslTrainer} trains. */
    final class LocalEngine implements PretrainEngine {
        public static final String NAME = "local";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Session open(ExperimentConfig config, ModelAssembler assembler, Path dataRoot, Map<String, String> options) {
            if (options != null && !options.isEmpty()) {
                throw new IllegalArgumentException("the local engine takes no engine options, got " + options.keySet()
                        + " (--master is for --engine spark)");
            }
            ModelAssembler.LoadedData loaded = assembler.loadData(config, dataRoot);
            DataSplits splits = loaded.splits();
            CrosslTrainer.Builder builder = CrosslTrainer.builder(config).assembler(assembler).resolvedData(loaded.resolvedSection());
            CrosslTrainer.Prepared prepared = builder.build().prepare(splits);
            return new Session() {
                @Override
                public ModelAssembler.Assembled assembled() {
                    return prepared.assembled();
                }

                @Override
                public Object dataDescription() {
                    return splits.description();
                }

                @Override
                public int trainWindows() {
                    return prepared.train().size();
                }

                @Override
                public int validationWindows() {
                    return prepared.validation().size();
                }

                @Override
                public Optional<DataSplits> localSplits() {
                    return Optional.of(splits);
                }

                @Override
                public Map<String, Object> record() {
                    return Map.of("name", NAME);
                }

                @Override
                public PretrainResult fit(TrainingListener listener, Checkpoints checkpoints) {
                    return builder.listener(listener).checkpoints(checkpoints).build().fit(prepared).result();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
