package org.crossl.core.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a resolved config (every section with its defaults filled: what {@code run.json}, model
 * files and progress keys record) in the order the keys are put, from the config as written.
 */
public final class ResolvedConfigBuilder {
    private final ObjectNode tree = Json.JSON.createObjectNode();
    private final ObjectNode encoders;
    private final String source;

    /** Starts with the written config's {@code name}, {@code description}, {@code seed} and {@code normalize}. */
    public ResolvedConfigBuilder(ExperimentConfig written) {
        this.source = written.source();
        tree.put("name", written.name());
        ObjectNode w = written.tree();
        if (w.has("description")) {
            tree.set("description", w.get("description"));
        }
        tree.put("seed", written.seed());
        tree.put("normalize", written.normalize());
        this.encoders = Json.JSON.createObjectNode();
    }

    /** Sets a whole section ({@code data}, {@code masker}…); {@code encoders} come one by one. */
    public ResolvedConfigBuilder section(String key, Section section) {
        if (key.equals("encoders")) {
            throw new IllegalArgumentException("put encoders with encoder(modality, section)");
        }
        tree.set(key, section.node());
        return this;
    }

    /** Sets modality {@code modality}'s resolved encoder entry; the first one places {@code encoders} after what is put so far. */
    public ResolvedConfigBuilder encoder(String modality, Section section) {
        if (!tree.has("encoders")) {
            tree.set("encoders", encoders);
        }
        encoders.set(modality, section.node());
        return this;
    }

    /** Sets a core section from its config record ({@link ProjectorConfig}, {@link OptimizerConfig}, {@link TrainingConfig}). */
    public ResolvedConfigBuilder record(String key, Object config) {
        tree.set(key, Json.JSON.valueToTree(config));
        return this;
    }

    public ExperimentConfig build() {
        return ExperimentConfig.ofTree(tree, source);
    }
}
