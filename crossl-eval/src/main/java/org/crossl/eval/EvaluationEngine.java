package org.crossl.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.DataRoot;

/**
 * Where {@code crossl evaluate --engine NAME} computes an evaluation's units (its pretrainings, then
 * its records) before the report is written here; found by {@link #name()} with
 * {@link ServiceLoader} (crossl-spark's {@code spark} runs them as Spark tasks).
 */
public interface EvaluationEngine {
    String name();

    /**
     * Computes {@code units} (see {@link EvaluateRun#computeUnits}) and returns the records they
     * computed, record key → record as JSON.
     *
     * @param assembler the plugins and dataset cache of this process (an engine passes the cache folder on)
     * @param options engine options from the command line ({@code master} for Spark)
     */
    Map<String, String> run(ExperimentConfig config, org.crossl.core.model.ModelAssembler assembler, DataRoot root, Path progressHome,
                            List<String> units, Map<String, String> options);

    /** The engine called {@code name}, or an error naming those on the class path. */
    static EvaluationEngine named(String name) {
        return org.crossl.core.Services.named(ServiceLoader.load(EvaluationEngine.class, EvaluationEngine.class.getClassLoader()), EvaluationEngine::name, "--engine", name,
                " for evaluate (without --engine, evaluate computes everything here)", List.of(), "spark");
    }
}
