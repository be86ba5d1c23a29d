package org.crossl.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.crossl.api.data.DataSplits;
import org.crossl.core.Versions;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.train.PretrainResult;
import org.crossl.eval.charts.Plots;
import org.crossl.eval.heads.Downstream;

/**
 * What {@code crossl evaluate} writes and prints from its records: {@code results.json},
 * {@code results.md} (test and validation tables, the arms, missing devices, the paper's claims
 * from {@link Claims}, the pretrainings), the PNG charts, the terminal summary and a sweep's table.
 */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /**
     * pretraining.png (loss per epoch of each pretraining, first seed), macro_f1_vs_label_fraction.png,
     * missing_devices.png (largest label fraction) and confusion.png (first arm, largest fraction,
     * first seed).
     */
    static void charts(Path out, EvaluationConfig ev, List<EvaluateRun.Record> records, Map<String, PretrainResult> histories,
                              List<List<String>> subsets, boolean byModality, List<String> classNames) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (!histories.isEmpty()) {
            int epochs = histories.values().stream().mapToInt(h -> h.history().size()).max().orElse(0);
            double[] xs = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                xs[e] = e + 1;
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            histories.forEach((variant, h) -> {
                double[] va = new double[epochs];
                java.util.Arrays.fill(va, Double.NaN);
                Map<String, double[]> terms = new LinkedHashMap<>();
                for (int e = 0; e < h.history().size(); e++) {
                    va[e] = h.history().get(e).valLoss();
                    for (Map.Entry<String, Double> t : h.history().get(e).trainTerms().entrySet()) {
                        double[] ys = terms.computeIfAbsent(t.getKey(), k -> {
                            double[] a = new double[epochs];
                            java.util.Arrays.fill(a, Double.NaN);
                            return a;
                        });
                        ys[e] = t.getValue();
                    }
                }
                // the objective's weighted terms on training batches, and the validation loss
                terms.forEach((term, ys) -> series.put(variant + " " + term, ys));
                series.put(variant + " validation loss", va);
            });
            Plots.lines(out.resolve("pretraining.png"), "Pretraining: loss terms (training) and validation loss per epoch, seed "
                    + ev.seeds().get(0), "epoch", "loss",
                    xs, series, false);
        }
        double[] fractions = ev.labelFractions().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, double[]> f1 = new LinkedHashMap<>();
        for (String arm : ev.armNames()) {
            double[] ys = new double[fractions.length];
            for (int i = 0; i < fractions.length; i++) {
                double f = fractions[i];
                ys[i] = mean(records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().macroF1()).toArray());
            }
            f1.put(arm, ys);
        }
        Plots.lines(out.resolve("macro_f1_vs_label_fraction.png"), "Test macro-F1 against label fraction (mean over seeds)",
                "label fraction (log scale)", "macro-F1", fractions, f1, fractions.length > 1 && fractions[0] > 0);
        double last = ev.labelFractions().get(ev.labelFractions().size() - 1);
        if (!subsets.isEmpty()) {
            List<String> cols = new ArrayList<>();
            cols.add("none");
            subsets.forEach(sub -> cols.add(MissingDevices.key(sub)));
            double[][] v = new double[ev.armNames().size()][cols.size()];
            for (int a = 0; a < ev.armNames().size(); a++) {
                String arm = ev.armNames().get(a);
                List<EvaluateRun.Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == last).toList();
                v[a][0] = mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
                for (int c = 1; c < cols.size(); c++) {
                    String key = cols.get(c);
                    v[a][c] = mean(rs.stream().mapToDouble(r -> r.missing().get(key)).toArray());
                }
            }
            Plots.heatmap(out.resolve("missing_devices.png"), "Macro-F1 with " + (byModality ? "modalities" : "devices")
                    + " absent at test time (label fraction " + last + ")",
                    ev.armNames(), cols, v);
        }
        records.stream().filter(r -> r.labelFraction() == last).findFirst().ifPresent(r -> {
            long[][] cm = r.test().confusion();
            double[][] norm = new double[cm.length][cm.length];
            for (int t = 0; t < cm.length; t++) {
                long row = java.util.Arrays.stream(cm[t]).sum();
                for (int p = 0; p < cm.length; p++) {
                    norm[t][p] = row == 0 ? Double.NaN : cm[t][p] / (double) row;
                }
            }
            try {
                Plots.heatmap(out.resolve("confusion.png"), "Confusion (rows: true class, share predicted as each column), " + r.arm()
                        + ", label fraction " + last + ", seed " + r.seed(), classNames, classNames, norm);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }


    static void write(Path out, ExperimentConfig config, EvaluationConfig ev, DataSplits splits, List<EvaluateRun.Record> records,
                              Map<String, Object> pretraining, List<List<String>> subsets, long allSubsets, boolean byModality, double seconds,
                              String reusedNote) throws IOException {
        List<Arm> arms = ev.armList();
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("protocol", config.name());
        root.put("config", config.source());
        root.set("evaluation", Json.JSON.valueToTree(ev));
        ArrayNode armNodes = root.putArray("arms");
        arms.forEach(a -> armNodes.add(a.toTree()));
        ArrayNode recs = root.putArray("records");
        for (EvaluateRun.Record r : records) {
            ObjectNode o = recs.addObject();
            o.put("arm", r.arm());
            o.put("label_fraction", r.labelFraction());
            o.put("seed", r.seed());
            o.put("macro_f1", r.test().macroF1());
            o.put("accuracy", r.test().accuracy());
            o.put("validation_macro_f1", r.validationMacroF1());
            o.set("missing", Json.JSON.valueToTree(r.missing()));
            o.set("per_class_f1", Json.JSON.valueToTree(r.test().perClassF1()));
            o.set("confusion", Json.JSON.valueToTree(r.test().confusion()));
            o.put("train_labelled_windows", r.trainLabelled());
            o.put("head_best_epoch", r.headBestEpoch());
        }
        ArrayNode summary = root.putArray("summary");
        StringBuilder md = new StringBuilder();
        md.append("# ").append(config.name()).append(": evaluation\n\n");
        md.append("Generated by `crossl evaluate` from `").append(config.source()).append("` in ")
                .append(String.format(Locale.ROOT, "%.0f s", seconds)).append(reusedNote).append("; seeds ").append(ev.seeds())
                .append(". Macro-F1 on every labelled test window, mean ± std over seeds.\n\n");
        StringBuilder valMd = new StringBuilder("\n## Validation macro-F1 (for choosing settings)\n\nThe heads' macro-F1 on the labelled "
                + "validation windows at their kept epoch, mean ± std over seeds.\n\n");
        for (StringBuilder t : List.of(md, valMd)) {
            t.append("| arm |");
            ev.labelFractions().forEach(f -> t.append(' ').append(f).append(" |"));
            t.append("\n|---|");
            ev.labelFractions().forEach(f -> t.append("---|"));
            t.append('\n');
        }
        for (Arm arm : arms) {
            md.append("| ").append(arm.name()).append(" |");
            valMd.append("| ").append(arm.name()).append(" |");
            for (double f : ev.labelFractions()) {
                List<EvaluateRun.Record> rs = records.stream().filter(r -> r.arm().equals(arm.name()) && r.labelFraction() == f).toList();
                double[] v = rs.stream().mapToDouble(r -> r.test().macroF1()).toArray();
                double[] acc = rs.stream().mapToDouble(r -> r.test().accuracy()).toArray();
                double[] vf = rs.stream().mapToDouble(EvaluateRun.Record::validationMacroF1).toArray();
                ObjectNode s = summary.addObject();
                s.put("arm", arm.name());
                s.put("role", arm.role().label());
                s.put("label_fraction", f);
                s.put("macro_f1_mean", mean(v));
                s.put("macro_f1_std", std(v));
                s.put("accuracy_mean", mean(acc));
                s.put("accuracy_std", std(acc));
                s.put("validation_macro_f1_mean", mean(vf));
                s.put("validation_macro_f1_std", std(vf));
                s.put("runs", v.length);
                md.append(String.format(Locale.ROOT, " %.3f ± %.3f |", mean(v), std(v)));
                valMd.append(String.format(Locale.ROOT, " %.3f ± %.3f |", mean(vf), std(vf)));
            }
            md.append('\n');
            valMd.append('\n');
        }
        md.append(valMd);
        md.append("\n## Arms\n\n| arm | role | pretraining | head | features | classifier | learning rate | backbone rate × | head-only epochs |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Arm arm : arms) {
            Downstream.Settings st = ev.settings(arm);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", arm.name(), arm.role().label(),
                    !arm.pretrained() ? "none (random weights)" : arm.pretrain().isEmpty() ? "the config" : arm.toTree().get("pretrain").toString(),
                    st.mode().name().toLowerCase(Locale.ROOT), st.features().name().toLowerCase(Locale.ROOT),
                    st.classifier().name().toLowerCase(Locale.ROOT), st.optimizer().learningRate(),
                    st.mode() == Downstream.Mode.FINETUNE ? Double.toString(st.backboneLearningRateScale()) : "–", st.probeEpochs()));
        }
        if (!subsets.isEmpty()) {
            md.append(missingTable(ev, arms, records, subsets, allSubsets, byModality));
        }
        md.append(Claims.of(ev, records, subsets, byModality));
        if (!pretraining.isEmpty()) {
            md.append("\n## Pretraining\n\n| variant/seed | epochs | best epoch | first training loss | best validation loss |\n|---|---|---|---|---|\n");
            pretraining.forEach((k, v) -> {
                Map<?, ?> m = (Map<?, ?>) v;
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f |%n", k, m.get("epochs"), m.get("bestEpoch"),
                        ((Number) m.get("firstTrainLoss")).doubleValue(), ((Number) m.get("bestValLoss")).doubleValue()));
            });
        }
        root.set("pretraining", Json.JSON.valueToTree(pretraining));
        root.put("missing_subsets_scored", subsets.size());
        root.put("missing_subsets_total", allSubsets);
        root.set("data", Json.JSON.valueToTree(splits.description()));
        root.putPOJO("environment", Versions.environment());
        root.put("seconds", seconds);
        Files.writeString(out.resolve(EvaluateRun.RESULTS_JSON), Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.writeString(out.resolve(EvaluateRun.RESULTS_MD), md.toString());
    }

    /** Subsets as columns while the table stays narrow, as rows beyond {@link #WIDE}. */
    static final int WIDE = 8;

    static String missingTable(EvaluationConfig ev, List<Arm> arms, List<EvaluateRun.Record> records, List<List<String>> subsets, long allSubsets,
                               boolean byModality) {
        double f = ev.labelFractions().get(ev.labelFractions().size() - 1);
        String unit = byModality ? "modalities" : "devices";
        boolean all = subsets.size() == allSubsets;
        StringBuilder md = new StringBuilder("\n## Missing " + unit + " at test time (label fraction " + f + ")\n\nMacro-F1 with the listed "
                + unit + " absent; mean over seeds. ");
        md.append(all ? "Every non-empty proper subset is scored (" + subsets.size() + ").\n\n"
                : String.format(Locale.ROOT, "%d of the %d non-empty proper subsets are scored (each %s missing alone, each left alone, and a "
                        + "seeded sample); \"mean\" and \"worst\" are over the scored subsets.%n%n", subsets.size(), allSubsets, unit.substring(0, unit.length() - 1)));
        double[][] per = new double[arms.size()][subsets.size()];
        double[] none = new double[arms.size()];
        for (int a = 0; a < arms.size(); a++) {
            String name = arms.get(a).name();
            List<EvaluateRun.Record> rs = records.stream().filter(r -> r.arm().equals(name) && r.labelFraction() == f).toList();
            none[a] = mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
            for (int i = 0; i < subsets.size(); i++) {
                String key = MissingDevices.key(subsets.get(i));
                per[a][i] = mean(rs.stream().filter(r -> r.missing().containsKey(key)).mapToDouble(r -> r.missing().get(key)).toArray());
            }
        }
        String meanLabel = all ? "mean" : "mean over scored subsets";
        if (subsets.size() <= WIDE) {
            md.append("| arm | none |");
            subsets.forEach(s -> md.append(' ').append(MissingDevices.key(s)).append(" |"));
            md.append(' ').append(meanLabel).append(" | worst |\n|---|---|");
            subsets.forEach(s -> md.append("---|"));
            md.append("---|---|\n");
            for (int a = 0; a < arms.size(); a++) {
                md.append("| ").append(arms.get(a).name()).append(String.format(Locale.ROOT, " | %.3f |", none[a]));
                for (double v : per[a]) {
                    md.append(String.format(Locale.ROOT, " %.3f |", v));
                }
                md.append(String.format(Locale.ROOT, " %.3f | %.3f |%n", mean(per[a]), java.util.Arrays.stream(per[a]).min().orElse(Double.NaN)));
            }
            return md.toString();
        }
        // transposed: one row per subset, so thirty or more subsets stay readable
        md.append("| absent |");
        arms.forEach(a -> md.append(' ').append(a.name()).append(" |"));
        md.append("\n|---|");
        arms.forEach(a -> md.append("---|"));
        md.append("\n| (none) |");
        for (double v : none) {
            md.append(String.format(Locale.ROOT, " %.3f |", v));
        }
        md.append('\n');
        for (int i = 0; i < subsets.size(); i++) {
            md.append("| ").append(MissingDevices.key(subsets.get(i))).append(" |");
            for (int a = 0; a < arms.size(); a++) {
                md.append(String.format(Locale.ROOT, " %.3f |", per[a][i]));
            }
            md.append('\n');
        }
        md.append("| **").append(meanLabel).append("** |");
        for (double[] p : per) {
            md.append(String.format(Locale.ROOT, " %.3f |", mean(p)));
        }
        md.append("\n| **worst** |");
        for (double[] p : per) {
            md.append(String.format(Locale.ROOT, " %.3f |", java.util.Arrays.stream(p).min().orElse(Double.NaN)));
        }
        return md.append('\n').toString();
    }

    /**
     * Tables over the runs of a sweep: a row per run (its swept values), a column per arm and label
     * fraction; first validation macro-F1 (choose by it), then test macro-F1, mean ± std over seeds.
     */
    public static String sweepTable(String source, Map<String, List<EvaluateRun.Record>> runs) {
        List<String> columns = new ArrayList<>();
        for (List<EvaluateRun.Record> rs : runs.values()) {
            for (EvaluateRun.Record r : rs) {
                String c = r.arm() + " @ " + r.labelFraction();
                if (!columns.contains(c)) {
                    columns.add(c);
                }
            }
        }
        StringBuilder md = new StringBuilder("# Sweep\n\nGenerated by `crossl evaluate` from `" + source
                + "`: macro-F1, mean ± std over seeds, one row per combination of the swept keys. Choose settings on validation; "
                + "test is for the final figures.\n");
        for (boolean validation : new boolean[] {true, false}) {
            md.append(validation ? "\n## Validation macro-F1\n\n| run |" : "\n## Test macro-F1\n\n| run |");
            columns.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|---|");
            columns.forEach(c -> md.append("---|"));
            md.append('\n');
            runs.forEach((label, rs) -> {
                md.append("| ").append(label.isEmpty() ? "(base)" : label).append(" |");
                for (String c : columns) {
                    double[] v = rs.stream().filter(r -> (r.arm() + " @ " + r.labelFraction()).equals(c))
                            .mapToDouble(r -> validation ? r.validationMacroF1() : r.test().macroF1()).toArray();
                    md.append(v.length == 0 ? " – |" : String.format(Locale.ROOT, " %.3f ± %.3f |", mean(v), std(v)));
                }
                md.append('\n');
            });
        }
        return md.toString();
    }


    /**
     * A short plain-text table of {@code records} for the terminal: per label fraction and arm,
     * test macro-F1 with every sensor, the mean over the scored missing-device subsets and the
     * worst of them (mean over seeds, ± std with several seeds).
     */
    public static String terminalSummary(List<EvaluateRun.Record> records) {
        List<String> arms = records.stream().map(EvaluateRun.Record::arm).distinct().toList();
        List<Double> fractions = records.stream().map(EvaluateRun.Record::labelFraction).distinct().sorted().toList();
        int w = Math.max(18, arms.stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder sb = new StringBuilder();
        boolean missing = records.stream().anyMatch(r -> !r.missing().isEmpty());
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %-16s%s%n", "test macro-F1", "all sensors", missing ? " sensors missing: mean    worst" : ""));
        for (double f : fractions) {
            int labelled = records.stream().filter(r -> r.labelFraction() == f).mapToInt(EvaluateRun.Record::trainLabelled).findFirst().orElse(0);
            sb.append(String.format(Locale.ROOT, "%s of the labelled training windows (%d):%n", percent(f), labelled));
            for (String arm : arms) {
                List<EvaluateRun.Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                double[] all = rs.stream().mapToDouble(r -> r.test().macroF1()).toArray();
                double[] meanMissing = rs.stream().mapToDouble(r -> mean(r.missing().values().stream().mapToDouble(Double::doubleValue).toArray())).toArray();
                double[] worst = rs.stream().mapToDouble(r -> r.missing().values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)).toArray();
                sb.append(String.format(Locale.ROOT, "  %-" + (w - 2) + "s %-16s", arm, rs.size() > 1 ? String.format(Locale.ROOT, "%.3f ± %.3f", mean(all), std(all))
                        : String.format(Locale.ROOT, "%.3f", mean(all))));
                if (missing) {
                    sb.append(String.format(Locale.ROOT, "          %.3f    %.3f", mean(meanMissing), mean(worst)));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }


    private static String percent(double f) {
        double p = f * 100;
        return (p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }
}
