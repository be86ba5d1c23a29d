package org.crossl.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One section of a config ({@code data}, {@code masker}, an encoder entry…): its keys as written,
 * or resolved with every default filled. Immutable. The keys of a component section belong to its
 * provider, so the core sees them only through {@link #type()}, {@link #bind} (into the provider's
 * config record) and {@link #values()}.
 *
 * <pre>
 * Section masker = config.masker();                       // {type: spatial, ratio: 0.5}
 * MaskerConfig c = masker.bind(MaskerConfig.class, config.source());
 * Section resolved = Section.of("masker", "spatial", c);  // {type: spatial, ratio: 0.5, mode: bernoulli}
 * </pre>
 */
public final class Section {
    private final String path;
    private final ObjectNode node;

    Section(String path, ObjectNode node) {
        this.path = path;
        this.node = node.deepCopy();
    }

    /** An empty section at {@code path}. */
    public static Section empty(String path) {
        return new Section(path, Json.JSON.createObjectNode());
    }

    /**
     * The resolved form of a bound config record: {@code type} first, then the record's fields with
     * every default filled (what {@code run.json} and model files record).
     */
    public static Section of(String path, String type, Object config) {
        return new Section(path, ComponentBinder.unbind(type, config));
    }

    /** A section from JSON text (an object); {@code path} names it in errors. */
    public static Section parse(String path, String json) {
        JsonNode n;
        try {
            n = Json.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigError(path + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new ConfigError(path + ": must be a mapping, got " + (n == null ? "nothing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new Section(path, o);
    }

    /** Where the section sits in the config, dotted ({@code encoders.acc}), for messages. */
    public String path() {
        return path;
    }

    /** The {@code type} key, or null when the section has none. */
    public String type() {
        JsonNode t = node.get("type");
        return t == null || t.isNull() ? null : t.asText();
    }

    /** One key's value as a plain Java value (string, number, boolean, list, map), or null when absent. */
    public Object value(String key) {
        JsonNode n = node.get(key);
        return n == null || n.isNull() ? null : Json.JSON.convertValue(n, Object.class);
    }

    public boolean has(String key) {
        return node.has(key);
    }

    public boolean isEmpty() {
        return node.isEmpty();
    }

    /**
     * Binds the section (without {@code type}) to a provider's config record with Jackson; a missing
     * key arrives as null, an unknown or ill-typed one is a {@link ConfigError} naming
     * {@code source: path.key}.
     */
    public <C> C bind(Class<C> configType, String source) {
        return ComponentBinder.bind(node, path, configType, source);
    }

    /** The keys and values as plain Java values (maps, lists, strings, numbers, booleans), in order. */
    public Map<String, Object> values() {
        return Json.JSON.convertValue(node, new TypeReference<java.util.LinkedHashMap<String, Object>>() {
        });
    }

    /** The same section with one key set from JSON or YAML text ({@code 0.5}, {@code [1, 2]}, {@code spatial}). */
    public Section with(String key, String value) {
        ObjectNode copy = node.deepCopy();
        JsonNode parsed;
        try {
            parsed = Json.YAML.readTree(value);
        } catch (JsonProcessingException e) {
            throw new ConfigError(path + "." + key + ": cannot parse value '" + value + "'");
        }
        copy.set(key, parsed == null || parsed.isMissingNode() ? Json.JSON.getNodeFactory().textNode(value) : parsed);
        return new Section(path, copy);
    }

    /** Compact JSON, keys in order: also the section's identity for caches and fingerprints. */
    public String toJson() {
        return node.toString();
    }

    /** A copy of the tree, for this library's own writers (run records, model files); Jackson writes a section as it. */
    @com.fasterxml.jackson.annotation.JsonValue
    ObjectNode node() {
        return node.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Section s && s.node.equals(node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    @Override
    public String toString() {
        return path + ": " + toJson();
    }
}
