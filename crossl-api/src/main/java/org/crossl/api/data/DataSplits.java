package org.crossl.api.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The windows of one experiment, split by subject.
 *
 * @param train       pretraining (unlabelled use) and downstream training
 * @param validation  early stopping and model selection
 * @param test        touched once, for final figures; may be empty
 * @param description provenance of the data (reader, files, subjects per split, window counts…),
 *                    written into {@code run.json} beside the results
 */
public record DataSplits(WindowDataset train, WindowDataset validation, WindowDataset test, Map<String, Object> description) {
    public DataSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        description = description == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(description));
    }
}
