package org.crossl.eval;

import org.crossl.eval.heads.Downstream;
import org.crossl.eval.heads.ClassificationMetrics;
import org.crossl.eval.charts.Plots;
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
import java.util.function.Consumer;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.LabelFractions;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.Fingerprint;
import org.crossl.core.PretrainedModel;
import org.crossl.core.Versions;
import org.crossl.core.config.ComponentBinder;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.config.OptimizerConfig;
import org.crossl.core.data.DataRoot;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;

/**
 * {@code crossl evaluate}: the protocol of protocols.md on one config. Per seed: the data is
 * normalised with training statistics; each pretraining the arms need (CroSSL as configured,
 * CroSSL with random masking, SimCLR) runs once and is reused across label fractions; per label
 * fraction a stratified draw of labelled training windows trains each arm's head (linear probe,
 * fine-tuning, or a fresh model for the supervised baseline), which is scored on every labelled
 * test window, and again with every non-empty proper subset of devices absent (modalities when the
 * data has one device). Writes {@code results.json}, {@code results.md} and the PNG charts
 * {@code pretraining.png}, {@code macro_f1_vs_label_fraction.png}, {@code missing_devices.png} and
 * {@code confusion.png}.
 */
public final class EvaluateRun {
    public static final String RESULTS_JSON = "results.json";
    public static final String RESULTS_MD = "results.md";

    private final ModelAssembler assembler;

    public EvaluateRun(ModelAssembler assembler) {
        this.assembler = assembler;
    }

    /**
     * One (arm, label fraction, seed) result.
     *
     * @param validationMacroF1 the head's macro-F1 on the labelled validation windows at its kept
     *                          epoch: the score to choose settings by (test is for the final figures)
     */
    public record Record(String arm, double labelFraction, long seed, ClassificationMetrics test, Map<String, Double> missing,
                         int trainLabelled, int headBestEpoch, double validationMacroF1) {
    }

    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, boolean overwrite, Consumer<String> log) throws IOException {
        return run(config, root, out, overwrite, false, log);
    }

    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, boolean overwrite, boolean fresh, Consumer<String> log)
            throws IOException {
        return run(config, root, out, out, overwrite, fresh, log);
    }

    /**
     * @param progressHome where {@code progress/} lives: {@code out} for one run; a sweep's runs share
     *                     their parent's, so a pretraining or record that two combinations have in
     *                     common (the supervised baseline, say) is computed once
     * @param fresh        ignore and delete what an earlier run kept under {@code progress/};
     *                     otherwise finished pretrainings and records made under the same config are reused
     */
    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, Path progressHome, boolean overwrite, boolean fresh,
                            Consumer<String> log) throws IOException {
        if (Files.exists(out.resolve(RESULTS_JSON)) && !overwrite) {
            throw new IllegalArgumentException(out.resolve(RESULTS_JSON) + " exists; use --force to replace it");
        }
        EvaluationConfig ev = ComponentBinder.bind(config.evaluation(), "evaluation", EvaluationConfig.class, config.source());
        List<Arm> arms = ev.armList();
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        DataSplits splits = assembler.loadData(config, root.requireExists().path()).splits();
        Normalizer norm = Normalizer.fit(splits.train());
        WindowDataset train = norm.apply(splits.train());
        WindowDataset val = norm.apply(splits.validation());
        WindowDataset test = norm.apply(splits.test());
        List<ModalitySpec> mods = train.modalities();
        // every arm's pretraining is assembled once before any work: a bad override fails now, not hours in
        for (Arm arm : arms) {
            if (arm.pretrained()) {
                try {
                    assembler.assemble(pretrainConfig(config, arm), mods, null);
                } catch (org.crossl.core.config.ConfigError e) {
                    throw new org.crossl.core.config.ConfigError(config.source() + ": evaluation.arms: arm '" + arm.name() + "': pretrain "
                            + arm.toTree().get("pretrain") + ": " + e.getMessage(), e);
                }
            }
        }
        List<String> units = MissingDevices.devices(mods);
        boolean byModality = units.size() < 2;
        List<String> unitNames = byModality ? mods.stream().map(ModalitySpec::name).toList() : units;
        List<List<String>> subsets = !ev.missingDevices() ? List.of()
                : MissingDevices.scoredSubsets(unitNames, ev.maxMissingSubsets(), ev.missingSample(), config.seed());
        long allSubsets = unitNames.size() < 2 ? 0 : (1L << Math.min(62, unitNames.size())) - 2;
        log.accept(String.format(Locale.ROOT, "data: %d / %d / %d windows; arms %s; label fractions %s; seeds %s; %d of %d missing-%s subsets",
                train.size(), val.size(), test.size(), Arm.names(arms), ev.labelFractions(), ev.seeds(), subsets.size(), allSubsets,
                byModality ? "modality" : "device"));
        // test data with each device subset absent, built once and shared by every arm and fraction
        Map<List<String>, WindowDataset> withouts = new LinkedHashMap<>();
        for (List<String> gone : subsets) {
            withouts.put(gone, byModality ? withoutModalities(test, gone) : MissingDevices.without(test, gone));
        }
        EvaluationProgress progress = new EvaluationProgress(progressHome, fresh);
        String dataKey = train.size() + "/" + val.size() + "/" + test.size();
        List<Record> records = new ArrayList<>();
        int[] reused = {0, 0}; // pretrainings, records taken from DIR/progress
        Map<String, Object> pretraining = new LinkedHashMap<>();
        Map<String, PretrainResult> histories = new LinkedHashMap<>();
        for (long seed : ev.seeds()) {
            ExperimentConfig seeded = config.with("seed", Long.toString(seed));
            // pretrainings by key: arms whose resolved pretraining is the same share one
            Map<String, CrosslModel> pretrained = new LinkedHashMap<>();
            Map<String, String> variantOfKey = new LinkedHashMap<>();
            Map<String, String> keyOfArm = new LinkedHashMap<>();
            // a probe's features depend only on the frozen pretrained model: one cache per pretraining and feature kind
            Map<String, Downstream.FeatureCache> caches = new LinkedHashMap<>();
            for (Arm arm : arms) {
                if (!arm.pretrained()) {
                    continue;
                }
                ExperimentConfig c = pretrainConfig(seeded, arm);
                String key = Fingerprint.sha256(resolvedKey(c, mods, null), dataKey);
                keyOfArm.put(arm.name(), key);
                if (pretrained.containsKey(key)) {
                    continue;
                }
                String variant = variantName(arm, variantOfKey.values());
                variantOfKey.put(key, variant);
                var kept = progress.pretrained(variant, seed, key, assembler);
                CrosslModel model;
                PretrainResult r;
                if (kept.isPresent()) {
                    log.accept("seed " + seed + ": pretraining " + variant + " reused from " + progressHome.resolve(EvaluationProgress.DIR));
                    reused[0]++;
                    model = kept.get().model();
                    r = kept.get().history();
                } else {
                    log.accept("seed " + seed + ": pretraining " + variant + (arm.pretrain().isEmpty() ? "" : " " + arm.toTree().get("pretrain")));
                    String tag = "seed " + seed + ", " + variant;
                    // the splits are raw: the trainer applies the shared normaliser, as it does for the heads' data above
                    PretrainedModel p = CrosslTrainer.builder(c).assembler(assembler).normalizer(norm).listener(new TrainingListener() {
                        @Override
                        public void onEpoch(org.crossl.core.train.EpochMetrics m) {
                            log.accept(String.format(Locale.ROOT, "  %s epoch %d: train loss %.4f, validation loss %.4f, std(Z) %.3f (%.0f s)%s",
                                    tag, m.epoch(), m.trainLoss(), m.valLoss(), m.zStd(), m.seconds(), m.improved() ? ", best" : ""));
                        }

                        @Override
                        public void onMessage(String message) {
                            log.accept("  " + tag + ": " + message);
                        }
                    }).build().fit(splits);
                    model = p.model();
                    r = p.result();
                    progress.savePretrained(variant, seed, key, model, r);
                }
                pretraining.put(variant + "/seed" + seed, Map.of("epochs", r.history().size(), "bestEpoch", r.bestEpoch(),
                        "firstTrainLoss", r.history().get(0).trainLoss(), "bestValLoss", r.history().get(Math.max(0, r.bestEpoch() - 1)).valLoss()));
                pretrained.put(key, model);
                if (seed == ev.seeds().get(0)) {
                    histories.put(variant, r);
                }
            }
            // what a model without pretraining depends on: the data, the architecture and the seed
            String scratchKey = "scratch:" + resolvedKey(seeded, mods, List.of("seed", "normalize", "data", "encoders", "aggregator"));
            for (double fraction : ev.labelFractions()) {
                int[] idx = LabelFractions.draw(train.labels(), fraction, seed);
                for (Arm arm : arms) {
                    Downstream.Settings s = ev.settings(arm);
                    String modelKey = arm.pretrained() ? keyOfArm.get(arm.name()) : scratchKey;
                    String recordKey = Fingerprint.sha256(modelKey, dataKey, s.toString(), arm.name(), Long.toString(seed),
                            Double.toString(fraction), subsets.toString());
                    var keptRecord = progress.record(recordKey);
                    if (keptRecord.isPresent()) {
                        reused[1]++;
                        records.add(keptRecord.get());
                        log.accept(String.format(Locale.ROOT, "seed %d, fraction %s, %-18s macro-F1 %.3f (reused)", seed, fraction, arm.name(),
                                keptRecord.get().test().macroF1()));
                        continue;
                    }
                    CrosslModel model;
                    if (arm.pretrained()) {
                        CrosslModel source = pretrained.get(modelKey);
                        // a probe reads the pretrained model as it is; fine-tuning changes a copy
                        model = s.mode() == Downstream.Mode.PROBE ? source : copyOf(source, pretrainConfig(seeded, arm), mods);
                    } else {
                        model = assembler.assemble(seeded, mods, null).model(); // fresh weights
                    }
                    Downstream.Trained t = Downstream.fit(model, train, idx, val, s, seed, s.mode() == Downstream.Mode.PROBE
                            ? caches.computeIfAbsent(modelKey + "/" + s.features(), v -> new Downstream.FeatureCache()) : null);
                    ClassificationMetrics m = t.score(test);
                    Map<String, Double> missing = new LinkedHashMap<>();
                    for (List<String> gone : subsets) {
                        missing.put(MissingDevices.key(gone), t.score(withouts.get(gone)).macroF1());
                    }
                    Record rec = new Record(arm.name(), fraction, seed, m, missing, idx.length, t.bestEpoch(), t.bestValidationMacroF1());
                    progress.saveRecord(recordKey, rec);
                    records.add(rec);
                    log.accept(String.format(Locale.ROOT, "seed %d, fraction %s, %-18s macro-F1 %.3f, accuracy %.3f, validation macro-F1 %.3f "
                                    + "(%d labelled windows)", seed, fraction, arm.name(), m.macroF1(), m.accuracy(), t.bestValidationMacroF1(), idx.length));
                }
            }
        }
        write(out, config, ev, splits, records, pretraining, subsets, allSubsets, byModality, (System.nanoTime() - t0) / 1e9,
                reused[0] + reused[1] == 0 ? "" : String.format(Locale.ROOT, " (this invocation; %d pretraining%s and %d of %d records were reused "
                        + "from earlier invocations into %s)", reused[0], reused[0] == 1 ? "" : "s", reused[1], records.size(),
                        progressHome.resolve(EvaluationProgress.DIR)));
        plots(out, ev, records, histories, subsets, byModality, train.classNames());
        return records;
    }

    /** The config an arm pretrains with: the experiment's, with the arm's overrides, each checked. */
    static ExperimentConfig pretrainConfig(ExperimentConfig config, Arm arm) {
        ExperimentConfig c = config;
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : arm.pretrain().entrySet()) {
            try {
                c = c.with(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            } catch (RuntimeException ex) {
                throw new org.crossl.core.config.ConfigError(config.source() + ": evaluation.arms: arm '" + arm.name() + "': pretrain."
                        + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        return c;
    }

    /**
     * The name of a pretraining in logs, reports and {@code progress/}: {@code crossl} for the
     * config as is, the built-in names {@code random-mask} and {@code simclr}, else the first arm's name.
     */
    private static String variantName(Arm arm, java.util.Collection<String> taken) {
        String v = arm.pretrain().isEmpty() ? "crossl" : arm.name().equals("crossl-random-mask") ? "random-mask" : arm.name();
        String out = v;
        for (int i = 2; taken.contains(out); i++) {
            out = v + "-" + i;
        }
        return out;
    }

    /**
     * A config as a key for kept progress: its resolved form (every default filled), so that a
     * default changed by a new release is a new key and old results are not served under it;
     * without the name and description, which shape nothing. {@code sections}, when given, keeps
     * only those (a model from random weights depends on data, architecture and seed alone).
     */
    private String resolvedKey(ExperimentConfig c, List<ModalitySpec> mods, List<String> sections) {
        ObjectNode resolved = assembler.assemble(c, mods, null).resolvedConfig();
        resolved.remove(List.of("name", "description"));
        if (sections != null) {
            resolved.retain(sections);
        }
        return resolved.toString();
    }

    private CrosslModel copyOf(CrosslModel from, ExperimentConfig config, List<ModalitySpec> mods) {
        CrosslModel to = assembler.assemble(config, mods, null).model();
        copy(from, to);
        return to;
    }

    /**
     * pretraining.png (loss per epoch of each pretraining, first seed), macro_f1_vs_label_fraction.png,
     * missing_devices.png (largest label fraction) and confusion.png (first arm, largest fraction,
     * first seed).
     */
    private static void plots(Path out, EvaluationConfig ev, List<Record> records, Map<String, PretrainResult> histories,
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
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == last).toList();
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

    private static WindowDataset withoutModalities(WindowDataset d, List<String> names) {
        // one device: drop modalities instead, by giving each its own device name for the occasion
        List<ModalitySpec> renamed = d.modalities().stream().map(m -> new ModalitySpec(m.name(), m.channelNames(), m.samplingRateHz(), m.name())).toList();
        List<org.crossl.api.data.WindowStore> stores = new ArrayList<>();
        for (int m = 0; m < d.modalities().size(); m++) {
            stores.add(d.store(m));
        }
        WindowDataset r = WindowDataset.ofStores(renamed, stores, d.presence(), d.labels(), d.subjects(), d.classNames());
        WindowDataset w = MissingDevices.without(r, names);
        return WindowDataset.ofStores(d.modalities(), stores, w.presence(), d.labels(), d.subjects(), d.classNames());
    }

    private static void copy(CrosslModel from, CrosslModel to) {
        Map<String, Parameter> src = from.namedParameters();
        for (Map.Entry<String, Parameter> e : to.namedParameters().entrySet()) {
            e.getValue().value().assign(src.get(e.getKey()).value());
        }
        to.setNormalizer(from.normalizer());
    }

    private static void write(Path out, ExperimentConfig config, EvaluationConfig ev, DataSplits splits, List<Record> records,
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
        for (Record r : records) {
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
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm.name()) && r.labelFraction() == f).toList();
                double[] v = rs.stream().mapToDouble(r -> r.test().macroF1()).toArray();
                double[] acc = rs.stream().mapToDouble(r -> r.test().accuracy()).toArray();
                double[] vf = rs.stream().mapToDouble(Record::validationMacroF1).toArray();
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
        md.append(claims(ev, records, subsets, byModality));
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
        Files.writeString(out.resolve(RESULTS_JSON), Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.writeString(out.resolve(RESULTS_MD), md.toString());
    }

    /** Subsets as columns while the table stays narrow, as rows beyond {@link #WIDE}. */
    static final int WIDE = 8;

    static String missingTable(EvaluationConfig ev, List<Arm> arms, List<Record> records, List<List<String>> subsets, long allSubsets,
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
            List<Record> rs = records.stream().filter(r -> r.arm().equals(name) && r.labelFraction() == f).toList();
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
     * The paper's claims, each checked on this run's numbers where the arms it needs ran; arms are
     * found by role, so renamed or added arms still count. CroSSL (the best arm of role
     * {@code crossl}) beats the supervised baseline at label fractions up to 0.1; spatial masking
     * (the CroSSL probe) beats random masking; the CroSSL probe matches or beats the contrastive
     * (SimCLR) probe; a missing device costs each CroSSL arm less macro-F1 than it costs the
     * supervised model (mean drop over the scored subsets, at the largest label fraction).
     */
    static String claims(EvaluationConfig ev, List<Record> records, List<List<String>> subsets) {
        return claims(ev, records, subsets, false);
    }

    /** As {@link #claims(EvaluationConfig, List, List)}; with {@code byModality} the absent units are modalities (single-device data). */
    static String claims(EvaluationConfig ev, List<Record> records, List<List<String>> subsets, boolean byModality) {
        StringBuilder md = new StringBuilder("\n## The paper's claims on this run\n\n");
        java.util.function.BiFunction<String, Double, Double> f1 = (arm, f) -> mean(records.stream()
                .filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().macroF1()).toArray());
        List<Arm> arms = ev.armList();
        List<Arm> crossl = arms.stream().filter(a -> a.role() == Arm.Role.CROSSL).toList();
        Arm crosslProbe = crossl.stream().filter(a -> a.head() == Downstream.Mode.PROBE).findFirst().orElse(null);
        Arm supervised = arms.stream().filter(a -> a.role() == Arm.Role.SUPERVISED).findFirst().orElse(null);
        Arm random = arms.stream().filter(a -> a.role() == Arm.Role.RANDOM_MASK).findFirst().orElse(null);
        Arm contrastive = arms.stream().filter(a -> a.role() == Arm.Role.CONTRASTIVE).findFirst().orElse(null);
        int lines = 0;
        if (supervised != null && !crossl.isEmpty()) {
            for (double f : ev.labelFractions()) {
                if (f > 0.1) {
                    continue;
                }
                Arm best = null;
                double bestF1 = Double.NEGATIVE_INFINITY;
                StringBuilder each = new StringBuilder();
                for (Arm a : crossl) {
                    double v = f1.apply(a.name(), f);
                    each.append(String.format(Locale.ROOT, "%s%s %.3f", each.length() == 0 ? "" : ", ", a.name(), v));
                    if (v > bestF1) {
                        bestF1 = v;
                        best = a;
                    }
                }
                double sup = f1.apply(supervised.name(), f);
                md.append(String.format(Locale.ROOT, "- CroSSL beats the supervised baseline at label fraction %s: **%s** (best CroSSL arm %s %.3f — %s "
                        + "— against %s %.3f)%n", f, bestF1 > sup ? "yes" : "no", best.name(), bestF1, each, supervised.name(), sup));
                lines++;
            }
        }
        if (crosslProbe != null && random != null) {
            lines += comparison(md, ev, f1, "Spatial masking beats random masking", crosslProbe, random, false);
        }
        if (crosslProbe != null && contrastive != null) {
            lines += comparison(md, ev, f1, "The CroSSL probe matches or beats the contrastive (SimCLR) probe", crosslProbe, contrastive, true);
        }
        if (!subsets.isEmpty() && supervised != null) {
            double f = ev.labelFractions().get(ev.labelFractions().size() - 1);
            java.util.function.Function<String, Double> drop = arm -> {
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
                double none = mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
                double missing = mean(subsets.stream().mapToDouble(sub -> mean(rs.stream().filter(r -> r.missing().containsKey(MissingDevices.key(sub)))
                        .mapToDouble(r -> r.missing().get(MissingDevices.key(sub))).toArray())).toArray());
                return none - missing;
            };
            double sup = drop.apply(supervised.name());
            for (Arm arm : crossl) {
                double d = drop.apply(arm.name());
                md.append(String.format(Locale.ROOT, "- A missing %s costs %s less than the supervised model (label fraction %s): **%s** "
                        + "(mean macro-F1 drop %.3f against %.3f)%n", byModality ? "modality" : "device", arm.name(), f, d < sup ? "yes" : "no", d, sup));
                lines++;
            }
        }
        return lines == 0 ? "" : md.toString();
    }

    private static int comparison(StringBuilder md, EvaluationConfig ev, java.util.function.BiFunction<String, Double, Double> f1, String claim,
                                  Arm a, Arm b, boolean ties) {
        int wins = 0;
        StringBuilder detail = new StringBuilder();
        for (double f : ev.labelFractions()) {
            double x = f1.apply(a.name(), f);
            double y = f1.apply(b.name(), f);
            wins += x > y || ties && x == y ? 1 : 0;
            detail.append(String.format(Locale.ROOT, "%s%s: %.3f vs %.3f", detail.length() == 0 ? "" : "; ", f, x, y));
        }
        int n = ev.labelFractions().size();
        md.append(String.format(Locale.ROOT, "- %s (%s against %s): **%s** at %d of %d label fractions (%s)%n", claim, a.name(), b.name(),
                wins == n ? "yes" : wins == 0 ? "no" : "mixed", wins, n, detail));
        return 1;
    }

    /**
     * Tables over the runs of a sweep: a row per run (its swept values), a column per arm and label
     * fraction; first validation macro-F1 (choose by it), then test macro-F1, mean ± std over seeds.
     */
    public static String sweepTable(String source, Map<String, List<Record>> runs) {
        List<String> columns = new ArrayList<>();
        for (List<Record> rs : runs.values()) {
            for (Record r : rs) {
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
    public static String terminalSummary(List<Record> records) {
        List<String> arms = records.stream().map(Record::arm).distinct().toList();
        List<Double> fractions = records.stream().map(Record::labelFraction).distinct().sorted().toList();
        int w = Math.max(18, arms.stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder sb = new StringBuilder();
        boolean missing = records.stream().anyMatch(r -> !r.missing().isEmpty());
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %-16s%s%n", "test macro-F1", "all sensors", missing ? " sensors missing: mean    worst" : ""));
        for (double f : fractions) {
            int labelled = records.stream().filter(r -> r.labelFraction() == f).mapToInt(Record::trainLabelled).findFirst().orElse(0);
            sb.append(String.format(Locale.ROOT, "%s of the labelled training windows (%d):%n", percent(f), labelled));
            for (String arm : arms) {
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
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
