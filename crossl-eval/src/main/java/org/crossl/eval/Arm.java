package org.crossl.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.crossl.api.spi.ConfigException;
import org.crossl.core.config.Json;
import org.crossl.core.config.Suggestions;
import org.crossl.eval.heads.Downstream;

/**
 * One arm of {@code crossl evaluate}: a pretraining (the experiment's config with {@code --set}
 * style overrides, or none) and a head trained on its frozen or fine-tuned model.
 *
 * <p>In {@code evaluation.arms} an arm is a built-in name ({@link #BUILT_IN}) or a mapping:
 *
 * <pre>
 * - name: barlow-probe            # required, unique; the records' "arm"
 *   role: contrastive             # crossl | supervised | random-mask | contrastive | other (default)
 *   pretrain: {objective: {type: barlow}}   # dotted keys as with --set; {} = the config as is;
 *                                           # none = no pretraining (a model from random weights)
 *   head: probe                   # probe (frozen model) | finetune (model and head learn)
 *   features: global              # global | modalities | both; default evaluation.features
 *   classifier: linear            # linear | mlp; default evaluation.classifier
 *   learningRate: 0.01            # default evaluation.probeLearningRate / finetuneLearningRate
 *   backboneLearningRateScale: 0.1  # fine-tuning: the model's rate relative to the head's
 *   probeEpochs: 5                # fine-tuning: epochs of head-only training first
 * </pre>
 *
 * Arms whose resolved pretraining is the same share one pretraining per seed. The role tells
 * {@code results.md} which arm plays which part in the paper's claims.
 *
 * @param pretrain the overrides of the pretraining, in order; null for no pretraining
 * @param features null for the evaluation's default; likewise classifier, learningRate,
 *                 backboneLearningRateScale and probeEpochs
 */
public record Arm(String name, Role role, Map<String, JsonNode> pretrain, Downstream.Mode head, String features, String classifier,
                  Double learningRate, Double backboneLearningRateScale, Integer probeEpochs) {

    /** The part an arm plays in the paper's claims. */
    public enum Role {
        CROSSL, SUPERVISED, RANDOM_MASK, CONTRASTIVE, OTHER;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Role parse(String s, String arm) {
            for (Role r : values()) {
                if (r.label().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new ConfigException("arms", "arm '" + arm + "': unknown role '" + s + "'; known: crossl, supervised, random-mask, contrastive, other");
        }
    }

    private static final Set<String> KEYS = Set.of("name", "role", "pretrain", "head", "features", "classifier", "learningRate",
            "backboneLearningRateScale", "probeEpochs");

    /** The five arms of protocols.md, by name; their names and record keys are a contract. */
    public static final Map<String, Arm> BUILT_IN = builtIns();

    private static Map<String, Arm> builtIns() {
        Map<String, Arm> m = new LinkedHashMap<>();
        m.put("crossl-probe", new Arm("crossl-probe", Role.CROSSL, Map.of(), Downstream.Mode.PROBE, null, null, null, null, null));
        m.put("crossl-finetune", new Arm("crossl-finetune", Role.CROSSL, Map.of(), Downstream.Mode.FINETUNE, null, null, null, null, null));
        m.put("supervised", new Arm("supervised", Role.SUPERVISED, null, Downstream.Mode.FINETUNE, null, null, null, null, null));
        m.put("crossl-random-mask", new Arm("crossl-random-mask", Role.RANDOM_MASK, Map.of("masker.type", Json.JSON.getNodeFactory().textNode("random")),
                Downstream.Mode.PROBE, null, null, null, null, null));
        m.put("simclr", new Arm("simclr", Role.CONTRASTIVE, Map.of("objective", Json.JSON.createObjectNode().put("type", "simclr")),
                Downstream.Mode.PROBE, null, null, null, null, null));
        return java.util.Collections.unmodifiableMap(m);
    }

    public Arm {
        pretrain = pretrain == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pretrain));
    }

    /** Whether the arm starts from a pretrained model. */
    public boolean pretrained() {
        return pretrain != null;
    }

    /** An arm from its config entry: a built-in name or a mapping (see the class comment). */
    public static Arm parse(JsonNode n) {
        if (n == null || n.isNull()) {
            throw new ConfigException("arms", "an arm is a built-in name (" + String.join(", ", BUILT_IN.keySet()) + ") or a mapping with a name");
        }
        if (n.isTextual()) {
            Arm a = BUILT_IN.get(n.asText());
            if (a == null) {
                throw new ConfigException("arms", "unknown arm '" + n.asText() + "'" + Suggestions.didYouMean(n.asText(), BUILT_IN.keySet())
                        + "; built-in arms: " + String.join(", ", BUILT_IN.keySet())
                        + " (or define one: {name: NAME, pretrain: {KEY: VALUE}, head: probe|finetune})");
            }
            return a;
        }
        if (!n.isObject()) {
            throw new ConfigException("arms", "an arm is a built-in name or a mapping, got " + n);
        }
        String name = n.path("name").asText("").strip();
        if (name.isEmpty()) {
            throw new ConfigException("arms", "an arm mapping needs a name: " + n);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ConfigException("arms", "arm '" + name + "': unknown key '" + k + "'" + Suggestions.didYouMean(k, KEYS)
                        + "; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        Arm base = BUILT_IN.get(name);
        Role role = n.has("role") ? Role.parse(n.get("role").asText(), name) : base != null ? base.role() : Role.OTHER;
        Map<String, JsonNode> pretrain;
        JsonNode p = n.get("pretrain");
        if (p == null) {
            pretrain = base != null ? base.pretrain() : Map.of();
        } else if (p.isNull() || p.isTextual() && p.asText().equals("none") || p.isBoolean() && !p.asBoolean()) {
            pretrain = null;
        } else if (p.isObject()) {
            pretrain = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                pretrain.put(e.getKey(), e.getValue());
            }
        } else {
            throw new ConfigException("arms", "arm '" + name + "': pretrain must be a mapping of config keys to values (as --set takes them), "
                    + "{} for the config as is, or none; got " + p);
        }
        Downstream.Mode head;
        String h = n.path("head").asText(base != null ? base.head().name().toLowerCase(Locale.ROOT) : "").strip().toLowerCase(Locale.ROOT);
        switch (h) {
            case "probe" -> head = Downstream.Mode.PROBE;
            case "finetune", "fine-tune" -> head = Downstream.Mode.FINETUNE;
            case "" -> throw new ConfigException("arms", "arm '" + name + "': give its head: probe (frozen model) or finetune");
            default -> throw new ConfigException("arms", "arm '" + name + "': head must be probe or finetune, got '" + h + "'");
        }
        if (pretrain == null && head == Downstream.Mode.PROBE) {
            throw new ConfigException("arms", "arm '" + name + "': a probe on a model without pretraining reads random features; "
                    + "use head: finetune for a supervised baseline, or remove 'pretrain: none'");
        }
        String features = n.has("features") ? EvaluationConfig.checkFeatures(n.get("features").asText(), "arm '" + name + "': features") : null;
        String classifier = n.has("classifier") ? EvaluationConfig.checkClassifier(n.get("classifier").asText(), "arm '" + name + "': classifier")
                : null;
        Double lr = positive(n, "learningRate", name);
        Double scale = positive(n, "backboneLearningRateScale", name);
        Integer probeEpochs = null;
        if (n.has("probeEpochs")) {
            if (!n.get("probeEpochs").canConvertToInt() || n.get("probeEpochs").asInt() < 0) {
                throw new ConfigException("arms", "arm '" + name + "': probeEpochs must be a whole number ≥ 0, got " + n.get("probeEpochs"));
            }
            probeEpochs = n.get("probeEpochs").asInt();
        }
        return new Arm(name, role, pretrain, head, features, classifier, lr, scale, probeEpochs);
    }

    private static Double positive(JsonNode n, String key, String arm) {
        if (!n.has(key)) {
            return null;
        }
        JsonNode v = n.get(key);
        if (!v.isNumber() || !(v.asDouble() > 0)) {
            throw new ConfigException("arms", "arm '" + arm + "': " + key + " must be a positive number, got " + v);
        }
        return v.asDouble();
    }

    /** The arm as a config entry (every key it sets), for keys and reports. */
    ObjectNode toTree() {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("name", name);
        o.put("role", role.label());
        if (pretrain == null) {
            o.put("pretrain", "none");
        } else {
            ObjectNode p = o.putObject("pretrain");
            pretrain.forEach(p::set);
        }
        o.put("head", head.name().toLowerCase(Locale.ROOT));
        if (features != null) {
            o.put("features", features);
        }
        if (classifier != null) {
            o.put("classifier", classifier);
        }
        if (learningRate != null) {
            o.put("learningRate", learningRate);
        }
        if (backboneLearningRateScale != null) {
            o.put("backboneLearningRateScale", backboneLearningRateScale);
        }
        if (probeEpochs != null) {
            o.put("probeEpochs", probeEpochs);
        }
        return o;
    }

    /** Names of {@code arms}, in order. */
    public static List<String> names(List<Arm> arms) {
        return arms.stream().map(Arm::name).toList();
    }
}
