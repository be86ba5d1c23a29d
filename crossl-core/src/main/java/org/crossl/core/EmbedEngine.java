package org.crossl.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.model.ModelAssembler;

/**
 * Embeds every window of a config's data somewhere other than this JVM ({@code crossl embed
 * --engine NAME}); found by {@link #name()} with {@link ServiceLoader}. The local embedding (a CSV)
 * is {@code crossl embed} without {@code --engine}.
 */
public interface EmbedEngine {
    /** The name given to {@code --engine}. */
    String name();

    /**
     * Embeds with the model saved in {@code modelDir} (a model directory, {@code docs/model-format.md})
     * every window of {@code config}'s data, and writes the result to {@code out} in the engine's format.
     *
     * @param options engine options from the command line ({@code master} for Spark)
     * @return windows embedded per split
     */
    Map<String, Integer> embed(Path modelDir, ExperimentConfig config, ModelAssembler assembler, Path dataRoot, String out,
                               Map<String, String> options);

    /** The engine called {@code name}, or an error naming those on the class path. */
    static EmbedEngine named(String name) {
        return Services.named(ServiceLoader.load(EmbedEngine.class, EmbedEngine.class.getClassLoader()), EmbedEngine::name, "--engine", name,
                " for embed (without --engine, embed runs here and writes a CSV)", List.of(), "spark");
    }
}
