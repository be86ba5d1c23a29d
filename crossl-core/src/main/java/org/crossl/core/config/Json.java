package org.crossl.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The library's JSON I/O: the two mappers every config and run file goes through (strict on
 * unknown keys), and the bridge between the typed configs ({@link ExperimentConfig},
 * {@link Section}) and the JSON trees that run records and model files are written as. The config
 * types themselves have no Jackson types in their signatures; this class is where the library's
 * own writers and readers meet Jackson.
 */
public final class Json {
    private Json() {
    }

    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A config as a JSON tree (a copy), for writing it into a record. */
    public static com.fasterxml.jackson.databind.node.ObjectNode tree(ExperimentConfig config) {
        return config.tree();
    }

    /** A section as a JSON tree (a copy). */
    public static com.fasterxml.jackson.databind.node.ObjectNode tree(Section section) {
        return section.node();
    }

    /** A config read back from a record's JSON tree; {@code source} names it in errors. */
    public static ExperimentConfig config(com.fasterxml.jackson.databind.JsonNode tree, String source) {
        if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
            throw new ConfigError(source + ": the config must be a mapping of keys");
        }
        return ExperimentConfig.ofTree(o, source);
    }

    /** A section read back from a record's JSON tree. */
    public static Section section(String path, com.fasterxml.jackson.databind.JsonNode tree) {
        return section(path, tree, null);
    }

    /** As {@link #section(String, com.fasterxml.jackson.databind.JsonNode)}; {@code source} (a file) prefixes the error. */
    public static Section section(String path, com.fasterxml.jackson.databind.JsonNode tree, String source) {
        if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
            throw new ConfigError((source != null ? source + ": " : "") + path + ": "
                    + (tree == null || tree.isMissingNode() || tree.isNull() ? "missing section" : "must be a mapping, got " + tree));
        }
        return new Section(path, o);
    }
}
