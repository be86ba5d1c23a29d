package org.crossl.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One experiment, as written in one YAML or JSON file:
 * <pre>
 * name: basicmotions          # free text
 * seed: 0                     # drives every random stream of the run
 * normalize: true             # per-channel statistics fitted on the training split
 * data:       {type: uea, path: uea/BasicMotions, ...}      # owned by the dataset provider
 * encoders:   {default: {type: tcn}, acc: {kernels: [...]}} # per-modality entries override default
 * masker:     {type: spatial, ratio: 0.5, mode: bernoulli}
 * aggregator: {type: mlp}
 * objective:  {type: vicreg, preset: reference}
 * optimizer:  {learningRate: 1e-4, l2: 1e-4}                # see OptimizerConfig
 * training:   {batchSize: 8, epochs: 50, patience: 5}       # see TrainingConfig
 * </pre>
 * The core reads only its own keys; each component section's keys belong to its provider. The
 * object keeps the tree as written; {@link org.crossl.core.model.ModelAssembler} resolves it
 * (defaults filled) for {@code run.json}.
 */
public final class ExperimentConfig {
    private static final Set<String> KNOWN = Set.of("name", "description", "seed", "normalize", "data", "encoders",
            "masker", "aggregator", "objective", "optimizer", "training", Sweep.KEY, "evaluation", "projector", "spark");
    public static final String DEFAULT_ENCODER_KEY = "default";

    private final ObjectNode tree;
    private final String source;
    private final OptimizerConfig optimizer;
    private final TrainingConfig training;
    private final ProjectorConfig projector;

    private ExperimentConfig(ObjectNode tree, String source) {
        this.tree = tree;
        this.source = source;
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                throw error(k, "unknown key" + Suggestions.didYouMean(k, KNOWN) + "; known top-level keys: " + new java.util.TreeSet<>(KNOWN));
            }
        }
        if (tree.has("seed") && !tree.get("seed").canConvertToLong()) {
            throw error("seed", "must be an integer, got " + tree.get("seed"));
        }
        if (tree.has("normalize") && !tree.get("normalize").isBoolean()) {
            throw error("normalize", "must be true or false, got " + tree.get("normalize"));
        }
        component("data");
        component("masker");
        component("aggregator");
        component("objective");
        encoderSections();
        this.optimizer = ComponentBinder.bind(section("optimizer"), "optimizer", OptimizerConfig.class, source);
        this.training = ComponentBinder.bind(section("training"), "training", TrainingConfig.class, source);
        this.projector = ComponentBinder.bind(section("projector"), "projector", ProjectorConfig.class, source);
    }

    /** Reads a {@code .yaml}/{@code .yml} or {@code .json} file (UTF-8; a byte-order mark is allowed). */
    public static ExperimentConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigError("config file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new ConfigError(file + ": cannot read the config file: " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return parse(utf8(bytes, file.toString()), file.toString(), !name.endsWith(".json"));
    }

    /**
     * The bytes as UTF-8 text. {@link Files#readString} fails on other encodings with only
     * "Input length = 1"; this says where the first undecodable byte is and what to do.
     */
    static String utf8(byte[] bytes, String source) {
        if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF || (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE)) {
            throw new ConfigError(source + ": UTF-16 text (byte-order mark " + String.format("%02X %02X", bytes[0] & 0xFF, bytes[1] & 0xFF)
                    + "); save the config as UTF-8");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigError(source + ":" + line + ":" + (at - lineStart + 1) + ": not UTF-8 text: byte "
                    + String.format("0x%02X", bytes[at] & 0xFF) + " at offset " + at + " cannot be decoded (Latin-1, another "
                    + "encoding or not a text file?); save the config as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** Parses config text; {@code source} names it in error messages. */
    public static ExperimentConfig parse(String text, String source, boolean yaml) {
        JsonNode node;
        try {
            // a repeated key would silently replace the earlier value (two training: sections, say): refuse it
            node = (yaml ? Json.YAML : Json.JSON).reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigError(where + ": not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new ConfigError(source + ": the config is empty");
        }
        if (!node.isObject()) {
            throw new ConfigError(source + ": the config must be a mapping of keys (name, seed, data, encoders, ...)");
        }
        return new ExperimentConfig((ObjectNode) node, source);
    }

    /** A config from plain values (maps, lists, strings, numbers, booleans), for programmatic use. */
    public static ExperimentConfig of(Map<String, ?> values, String source) {
        return new ExperimentConfig(Json.JSON.valueToTree(values), source);
    }

    /** A config from the library's own JSON trees (a resolved config, a model file's). */
    static ExperimentConfig ofTree(ObjectNode tree, String source) {
        return new ExperimentConfig(tree.deepCopy(), source);
    }

    private ConfigError error(String key, String message) {
        return new ConfigError(source + ": " + key + ": " + message);
    }

    private ObjectNode section(String key) {
        JsonNode n = tree.get(key);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw error(key, "must be a mapping, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) n;
    }

    private ObjectNode component(String key) {
        if (!tree.has(key)) {
            throw error(key, "missing section; give at least its type, e.g. '" + key + ": {type: ...}'");
        }
        ObjectNode s = section(key);
        JsonNode type = s.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw error(key + ".type", "missing; name the " + key + " component to use (see `crossl plugins`)");
        }
        return s;
    }

    /** The source of this config (a file name) for messages. */
    public String source() {
        return source;
    }

    public String name() {
        return tree.path("name").asText("experiment");
    }

    public long seed() {
        return tree.path("seed").asLong(0);
    }

    public boolean normalize() {
        return tree.path("normalize").asBoolean(true);
    }

    /** The {@code data} section (type and the dataset provider's keys). */
    public Section data() {
        return new Section("data", component("data"));
    }

    public Section masker() {
        return new Section("masker", component("masker"));
    }

    public Section aggregator() {
        return new Section("aggregator", component("aggregator"));
    }

    /**
     * The {@code spark:} section, read by the crossl-spark engine only (its keys are checked
     * there); empty when absent.
     */
    public Section spark() {
        JsonNode n = tree.get("spark");
        if (n == null || n.isNull()) {
            return Section.empty("spark");
        }
        if (!n.isObject()) {
            throw error("spark", "must be a mapping (localSteps, partitions…), got " + n);
        }
        return new Section("spark", (ObjectNode) n);
    }

    /** The {@code evaluation:} section (empty when absent). */
    public Section evaluation() {
        return new Section("evaluation", section("evaluation"));
    }

    public Section objective() {
        return new Section("objective", component("objective"));
    }

    public OptimizerConfig optimizer() {
        return optimizer;
    }

    public TrainingConfig training() {
        return training;
    }

    /** The {@code projector:} section (none when absent). */
    public ProjectorConfig projector() {
        return projector;
    }

    /** The raw {@code encoders} entries: {@code default} and modality names. */
    public Map<String, Section> encoderSections() {
        Map<String, Section> out = new java.util.LinkedHashMap<>();
        rawEncoderSections().forEach((k, v) -> out.put(k, new Section("encoders." + k, v)));
        return out;
    }

    private Map<String, ObjectNode> rawEncoderSections() {
        ObjectNode enc = section("encoders");
        if (enc.isEmpty()) {
            throw error("encoders", "missing section; e.g. 'encoders: {default: {type: tcn}}'");
        }
        Map<String, ObjectNode> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = enc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw error("encoders." + e.getKey(), "must be a mapping with a type, e.g. '{type: tcn}'");
            }
            out.put(e.getKey(), (ObjectNode) e.getValue().deepCopy());
        }
        return out;
    }

    /**
     * The encoder section for modality {@code name}: its own entry merged over {@code default} (its
     * keys win; a different {@code type} replaces the default entirely).
     *
     * @throws ConfigError when neither exists
     */
    public Section encoderFor(String modality) {
        Map<String, ObjectNode> s = rawEncoderSections();
        ObjectNode dflt = s.get(DEFAULT_ENCODER_KEY);
        ObjectNode own = s.get(modality);
        ObjectNode merged;
        if (own == null) {
            merged = dflt;
        } else if (dflt == null || (own.has("type") && !own.get("type").equals(dflt.get("type")))) {
            merged = own;
        } else {
            merged = dflt.deepCopy();
            merged.setAll(own);
        }
        String path = "encoders." + (own != null ? modality : DEFAULT_ENCODER_KEY);
        if (merged == null) {
            throw error("encoders", "no entry for modality '" + modality + "' and no 'default' entry");
        }
        if (!merged.has("type") || !merged.get("type").isTextual()) {
            throw error(path + ".type", "missing; name the encoder (see `crossl plugins`)");
        }
        return new Section(path, merged);
    }

    /**
     * Where modality {@code m}'s encoder setting {@code key} comes from, for messages:
     * {@code encoders.<m>} when its own entry sets it, else {@code encoders.default}.
     */
    public String encoderPath(String modality, String key) {
        ObjectNode own = rawEncoderSections().get(modality);
        if (own != null && (key == null || own.has(key) || !rawEncoderSections().containsKey(DEFAULT_ENCODER_KEY))) {
            return "encoders." + modality;
        }
        return "encoders." + DEFAULT_ENCODER_KEY;
    }

    /** Encoder entries naming modalities the data does not have (typos). */
    public List<String> unknownEncoderKeys(List<String> modalities) {
        List<String> bad = new ArrayList<>();
        for (String k : rawEncoderSections().keySet()) {
            if (!k.equals(DEFAULT_ENCODER_KEY) && !modalities.contains(k)) {
                bad.add(k);
            }
        }
        return bad;
    }

    /**
     * A copy with one value replaced, {@code key} a dotted path ({@code masker.ratio},
     * {@code training.epochs}); the value is parsed as YAML (numbers, booleans, lists).
     */
    public ExperimentConfig with(String key, String value) {
        ObjectNode copy = tree.deepCopy();
        String[] parts = key.split("\\.");
        ObjectNode node = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            }
            if (!child.isObject()) {
                throw new ConfigError("--set " + key + ": '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is not a mapping");
            }
            node = (ObjectNode) child;
        }
        JsonNode parsed;
        try {
            parsed = Json.YAML.readTree(value);
        } catch (JsonProcessingException e) {
            throw new ConfigError("--set " + key + ": cannot parse value '" + value + "'");
        }
        node.set(parts[parts.length - 1], parsed == null || parsed.isMissingNode() ? JsonNodeFactory.instance.textNode(value) : parsed);
        return new ExperimentConfig(copy, source + " (with " + key + "=" + value + ")");
    }

    /** The tree as written (plus any {@link #with} overrides), for this library's own writers; Jackson writes a config as it. */
    @com.fasterxml.jackson.annotation.JsonValue
    ObjectNode tree() {
        return tree.deepCopy();
    }

    /** The config as written (plus any {@link #with} overrides), as compact JSON. */
    public String toJson() {
        return tree.toString();
    }

    /** Whether the config has a top-level {@code key}. */
    public boolean has(String key) {
        return tree.has(key);
    }

    public String toYaml() {
        try {
            return Json.YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
