package org.crossl.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ablations as a config change: a {@code sweep:} section maps dotted config keys to lists of
 * values, and every combination becomes one run.
 *
 * <pre>
 * sweep:
 *   masker.type: [random, spatial, temporal]
 *   masker.ratio: [0.1, 0.5, 0.9]
 * </pre>
 *
 * gives 9 runs, the last key varying fastest; each run is the config without {@code sweep} and
 * with those keys set (as {@code --set} would). Runs are labelled {@code masker.type=random,
 * masker.ratio=0.1}. A config without {@code sweep} is one run with an empty label.
 */
public final class Sweep {
    /** The top-level key of the section. */
    public static final String KEY = "sweep";

    /**
     * One expanded run.
     *
     * @param label  {@code key=value} pairs joined with {@code ,}; empty without a sweep
     * @param values the swept keys and this run's values, in the section's order
     * @param config the run's config
     */
    public record Run(String label, Map<String, JsonNode> values, ExperimentConfig config) {
    }

    private Sweep() {
    }

    /** Every run of {@code config}'s sweep, in order. */
    public static List<Run> expand(ExperimentConfig config) {
        ObjectNode tree = config.tree();
        JsonNode section = tree.remove(KEY);
        ExperimentConfig base = ExperimentConfig.ofTree(tree, config.source());
        List<Run> runs = new ArrayList<>();
        if (section == null || section.isNull()) {
            runs.add(new Run("", Map.of(), base));
            return runs;
        }
        if (!section.isObject() || section.isEmpty()) {
            throw new ConfigError(config.source() + ": " + KEY + ": must map config keys to lists of values, e.g. "
                    + "sweep: {masker.ratio: [0.1, 0.5, 0.9]}");
        }
        List<String> keys = new ArrayList<>();
        List<List<JsonNode>> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.equals(KEY) || key.startsWith(KEY + ".")) {
                throw new ConfigError(config.source() + ": " + KEY + "." + key + ": a sweep cannot sweep itself");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new ConfigError(config.source() + ": " + KEY + "." + key + ": needs a non-empty list of values, got " + e.getValue());
            }
            List<JsonNode> vs = new ArrayList<>();
            e.getValue().forEach(vs::add);
            keys.add(key);
            values.add(vs);
        }
        int[] index = new int[keys.size()];
        while (true) {
            ExperimentConfig run = base;
            Map<String, JsonNode> chosen = new LinkedHashMap<>();
            List<String> label = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                JsonNode v = values.get(k).get(index[k]);
                chosen.put(keys.get(k), v);
                label.add(keys.get(k) + "=" + (v.isTextual() ? v.asText() : v.toString()));
                run = run.with(keys.get(k), v.toString());
            }
            runs.add(new Run(String.join(",", label), chosen, ExperimentConfig.ofTree(run.tree(), config.source() + " [" + String.join(",", label) + "]")));
            int k = keys.size() - 1;
            while (k >= 0 && ++index[k] == values.get(k).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                return runs;
            }
        }
    }
}
