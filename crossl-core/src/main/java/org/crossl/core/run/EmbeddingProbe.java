package org.crossl.core.run;

import java.util.Map;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.model.CrosslModel;

/**
 * A first reading of what a model's frozen embedding holds, which {@link PretrainRun} records in
 * {@code run.json} before and after pretraining. crossl-eval's linear probe is the one the CLI
 * uses; the core only records the reading.
 */
@FunctionalInterface
public interface EmbeddingProbe {

    /**
     * Fits on the labelled windows of {@code train} and scores on the labelled windows of
     * {@code test} (both raw: the model's normaliser applies).
     *
     * @return null when there are too few labelled windows to read anything
     */
    Reading read(CrosslModel model, WindowDataset train, WindowDataset test);

    /**
     * @param method       one line saying what was fitted on what
     * @param perClassF1   F1 per class name, on the test windows
     */
    record Reading(String method, double accuracy, double macroF1, Map<String, Double> perClassF1, int trainWindows, int testWindows,
                   int classes) {
    }
}
