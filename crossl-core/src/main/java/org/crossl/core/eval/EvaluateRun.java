package org.crossl.core.eval;

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
import org.crossl.core.Fingerprint;
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
import org.crossl.core.train.Pretrainer;
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

    /** One (arm, label fraction, seed) result. */
    public record Record(String arm, double labelFraction, long seed, ClassificationMetrics test, Map<String, Double> missing,
                         int trainLabelled, int headBestEpoch) {
    }

    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, boolean overwrite, Consumer<String> log) throws IOException {
        return run(config, root, out, overwrite, false, log);
    }

    /**
     * @param fresh ignore and delete what an earlier run into {@code out} kept under {@code progress/};
     *              otherwise finished pretrainings and records made under the same config are reused
     */
    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, boolean overwrite, boolean fresh, Consumer<String> log)
            throws IOException {
        if (Files.exists(out.resolve(RESULTS_JSON)) && !overwrite) {
            throw new IllegalArgumentException(out.resolve(RESULTS_JSON) + " exists; use --force to replace it");
        }
        EvaluationConfig ev = ComponentBinder.bind(config.evaluation(), "evaluation", EvaluationConfig.class, config.source());
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        DataSplits splits = assembler.loadData(config, root.requireExists().path()).splits();
        Normalizer norm = Normalizer.fit(splits.train());
        WindowDataset train = norm.apply(splits.train());
        WindowDataset val = norm.apply(splits.validation());
        WindowDataset test = norm.apply(splits.test());
        List<ModalitySpec> mods = train.modalities();
        List<String> units = MissingDevices.devices(mods);
        boolean byModality = units.size() < 2;
        List<List<String>> subsets = !ev.missingDevices() ? List.of()
                : byModality ? MissingDevices.properSubsets(mods.stream().map(ModalitySpec::name).toList()) : MissingDevices.properSubsets(units);
        log.accept(String.format(Locale.ROOT, "data: %d / %d / %d windows; arms %s; label fractions %s; seeds %s; %d missing-%s subsets",
                train.size(), val.size(), test.size(), ev.arms(), ev.labelFractions(), ev.seeds(), subsets.size(), byModality ? "modality" : "device"));
        // test data with each device subset absent, built once and shared by every arm and fraction
        Map<List<String>, WindowDataset> withouts = new LinkedHashMap<>();
        for (List<String> gone : subsets) {
            withouts.put(gone, byModality ? withoutModalities(test, gone) : MissingDevices.without(test, gone));
        }
        EvaluationProgress progress = new EvaluationProgress(out, fresh);
        String dataKey = train.size() + "/" + val.size() + "/" + test.size();
        List<Record> records = new ArrayList<>();
        int[] reused = {0, 0}; // pretrainings, records taken from DIR/progress
        Map<String, Object> pretraining = new LinkedHashMap<>();
        Map<String, PretrainResult> histories = new LinkedHashMap<>();
        for (long seed : ev.seeds()) {
            ExperimentConfig seeded = config.with("seed", Long.toString(seed));
            Map<String, CrosslModel> pretrained = new LinkedHashMap<>();
            // a probe's features depend only on the frozen pretrained model: one cache per pretraining
            Map<String, Downstream.FeatureCache> caches = new LinkedHashMap<>();
            for (String arm : ev.arms()) {
                String variant = variantOf(arm);
                if (variant == null || pretrained.containsKey(variant)) {
                    continue;
                }
                ExperimentConfig c = switch (variant) {
                    case "random-mask" -> seeded.with("masker.type", "random");
                    case "simclr" -> seeded.with("objective", "{type: simclr}");
                    default -> seeded;
                };
                String key = Fingerprint.sha256(withoutEvaluation(c), dataKey, variant);
                var kept = progress.pretrained(variant, seed, key, assembler);
                CrosslModel model;
                PretrainResult r;
                if (kept.isPresent()) {
                    log.accept("seed " + seed + ": pretraining " + variant + " reused from " + out.resolve(EvaluationProgress.DIR));
                    reused[0]++;
                    model = kept.get().model();
                    r = kept.get().history();
                } else {
                    log.accept("seed " + seed + ": pretraining " + variant);
                    ModelAssembler.Assembled a = assembler.assemble(c, mods, null);
                    a.model().setNormalizer(norm);
                    String tag = "seed " + seed + ", " + variant;
                    r = new Pretrainer(a.model(), a.masker(), a.objective(), c.optimizer(), c.training(), seed, new TrainingListener() {
                        @Override
                        public void onEpoch(org.crossl.core.train.EpochMetrics m) {
                            log.accept(String.format(Locale.ROOT, "  %s epoch %d: train loss %.4f, validation loss %.4f, std(Z) %.3f (%.0f s)%s",
                                    tag, m.epoch(), m.trainLoss(), m.valLoss(), m.zStd(), m.seconds(), m.improved() ? ", best" : ""));
                        }

                        @Override
                        public void onMessage(String message) {
                            log.accept("  " + tag + ": " + message);
                        }
                    }).fit(train, val);
                    model = a.model();
                    progress.savePretrained(variant, seed, key, model, r);
                }
                pretraining.put(variant + "/seed" + seed, Map.of("epochs", r.history().size(), "bestEpoch", r.bestEpoch(),
                        "firstTrainLoss", r.history().get(0).trainLoss(), "bestValLoss", r.history().get(Math.max(0, r.bestEpoch() - 1)).valLoss()));
                pretrained.put(variant, model);
                if (seed == ev.seeds().get(0)) {
                    histories.put(variant, r);
                }
            }
            String seededKey = withoutEvaluation(seeded); // the head settings that matter are in settings(ev)
            for (double fraction : ev.labelFractions()) {
                int[] idx = LabelFractions.draw(train.labels(), fraction, seed);
                for (String arm : ev.arms()) {
                    String recordKey = Fingerprint.sha256(seededKey, dataKey, EvaluationProgress.settings(ev), arm, Double.toString(fraction),
                            subsets.toString());
                    var keptRecord = progress.record(recordKey);
                    if (keptRecord.isPresent()) {
                        reused[1]++;
                        records.add(keptRecord.get());
                        log.accept(String.format(Locale.ROOT, "seed %d, fraction %s, %-18s macro-F1 %.3f (reused)", seed, fraction, arm,
                                keptRecord.get().test().macroF1()));
                        continue;
                    }
                    boolean finetune = arm.equals("crossl-finetune") || arm.equals("supervised");
                    CrosslModel model = assembler.assemble(seeded, mods, null).model(); // fresh weights for "supervised"
                    String variant = variantOf(arm);
                    if (variant != null) {
                        copy(pretrained.get(variant), model);
                    }
                    OptimizerConfig opt = new OptimizerConfig(null, finetune ? ev.finetuneLearningRate() : ev.probeLearningRate(), null, null, null, 0.0);
                    Downstream.Settings s = new Downstream.Settings(finetune ? Downstream.Mode.FINETUNE : Downstream.Mode.PROBE, ev.featureKind(),
                            ev.headEpochs(), ev.headBatchSize(), ev.headPatience(), opt);
                    Downstream.Trained t = Downstream.fit(model, train, idx, val, s, seed,
                            finetune ? null : caches.computeIfAbsent(variant, v -> new Downstream.FeatureCache()));
                    ClassificationMetrics m = t.score(test);
                    Map<String, Double> missing = new LinkedHashMap<>();
                    for (List<String> gone : subsets) {
                        missing.put(MissingDevices.key(gone), t.score(withouts.get(gone)).macroF1());
                    }
                    Record rec = new Record(arm, fraction, seed, m, missing, idx.length, t.bestEpoch());
                    progress.saveRecord(recordKey, rec);
                    records.add(rec);
                    log.accept(String.format(Locale.ROOT, "seed %d, fraction %s, %-18s macro-F1 %.3f, accuracy %.3f (%d labelled windows)",
                            seed, fraction, arm, m.macroF1(), m.accuracy(), idx.length));
                }
            }
        }
        write(out, config, ev, splits, records, pretraining, subsets, byModality, (System.nanoTime() - t0) / 1e9,
                reused[0] + reused[1] == 0 ? "" : String.format(Locale.ROOT, " (this invocation; %d pretraining%s and %d of %d records were reused "
                        + "from earlier invocations into %s)", reused[0], reused[0] == 1 ? "" : "s", reused[1], records.size(),
                        out.resolve(EvaluationProgress.DIR)));
        plots(out, ev, records, histories, subsets, byModality, train.classNames());
        return records;
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
        for (String arm : ev.arms()) {
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
            double[][] v = new double[ev.arms().size()][cols.size()];
            for (int a = 0; a < ev.arms().size(); a++) {
                String arm = ev.arms().get(a);
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == last).toList();
                v[a][0] = mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
                for (int c = 1; c < cols.size(); c++) {
                    String key = cols.get(c);
                    v[a][c] = mean(rs.stream().mapToDouble(r -> r.missing().get(key)).toArray());
                }
            }
            Plots.heatmap(out.resolve("missing_devices.png"), "Macro-F1 with " + (byModality ? "modalities" : "devices")
                    + " absent at test time (label fraction " + last + ")",
                    ev.arms(), cols, v);
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

    /** The pretraining an arm's model starts from: {@code crossl}, {@code random-mask} or {@code simclr}; null for the supervised baseline. */
    static String variantOf(String arm) {
        return switch (arm) {
            case "crossl-probe", "crossl-finetune" -> "crossl";
            case "crossl-random-mask" -> "random-mask";
            case "simclr" -> "simclr";
            default -> null;
        };
    }

    /**
     * The config as a key for kept progress, without the {@code evaluation:} and {@code sweep:}
     * sections: they do not shape a pretraining, so other arms, fractions or seeds reuse it.
     */
    private static String withoutEvaluation(ExperimentConfig c) {
        ObjectNode tree = c.tree().deepCopy();
        tree.remove(List.of("evaluation", "sweep"));
        return tree.toString();
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
                              Map<String, Object> pretraining, List<List<String>> subsets, boolean byModality, double seconds,
                              String reusedNote) throws IOException {
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("protocol", config.name());
        root.put("config", config.source());
        root.set("evaluation", Json.JSON.valueToTree(ev));
        ArrayNode recs = root.putArray("records");
        for (Record r : records) {
            ObjectNode o = recs.addObject();
            o.put("arm", r.arm());
            o.put("label_fraction", r.labelFraction());
            o.put("seed", r.seed());
            o.put("macro_f1", r.test().macroF1());
            o.put("accuracy", r.test().accuracy());
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
                .append(", heads read the ").append(ev.features()).append(" embedding. Macro-F1 on every labelled test window, mean ± std over seeds.\n\n");
        md.append("| arm |");
        ev.labelFractions().forEach(f -> md.append(' ').append(f).append(" |"));
        md.append("\n|---|");
        ev.labelFractions().forEach(f -> md.append("---|"));
        md.append('\n');
        for (String arm : ev.arms()) {
            md.append("| ").append(arm).append(" |");
            for (double f : ev.labelFractions()) {
                double[] v = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().macroF1()).toArray();
                double[] acc = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().accuracy()).toArray();
                ObjectNode s = summary.addObject();
                s.put("arm", arm);
                s.put("label_fraction", f);
                s.put("macro_f1_mean", mean(v));
                s.put("macro_f1_std", std(v));
                s.put("accuracy_mean", mean(acc));
                s.put("accuracy_std", std(acc));
                s.put("runs", v.length);
                md.append(String.format(Locale.ROOT, " %.3f ± %.3f |", mean(v), std(v)));
            }
            md.append('\n');
        }
        if (!subsets.isEmpty()) {
            double f = ev.labelFractions().get(ev.labelFractions().size() - 1);
            md.append("\n## Missing ").append(byModality ? "modalities" : "devices").append(" at test time (label fraction ").append(f)
                    .append(")\n\nMacro-F1 with the listed ").append(byModality ? "modalities" : "devices").append(" absent; mean over seeds.\n\n| arm | none |");
            subsets.forEach(s -> md.append(' ').append(MissingDevices.key(s)).append(" |"));
            md.append(" mean | worst |\n|---|---|");
            subsets.forEach(s -> md.append("---|"));
            md.append("---|---|\n");
            for (String arm : ev.arms()) {
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
                md.append("| ").append(arm).append(String.format(Locale.ROOT, " | %.3f |", mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray())));
                double[] per = new double[subsets.size()];
                for (int i = 0; i < subsets.size(); i++) {
                    String key = MissingDevices.key(subsets.get(i));
                    per[i] = mean(rs.stream().mapToDouble(r -> r.missing().get(key)).toArray());
                    md.append(String.format(Locale.ROOT, " %.3f |", per[i]));
                }
                md.append(String.format(Locale.ROOT, " %.3f | %.3f |\n", mean(per), java.util.Arrays.stream(per).min().orElse(Double.NaN)));
            }
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
        root.set("data", Json.JSON.valueToTree(splits.description()));
        root.putPOJO("environment", Versions.environment());
        root.put("seconds", seconds);
        Files.writeString(out.resolve(RESULTS_JSON), Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.writeString(out.resolve(RESULTS_MD), md.toString());
    }

    /**
     * The paper's three claims, each checked on this run's numbers (only where the arms it needs
     * ran): CroSSL (the better of probe and fine-tune) beats the supervised baseline at label
     * fractions up to 0.1; spatial masking beats random masking (both as linear probes); a missing
     * device costs CroSSL less macro-F1 than it costs the supervised model (mean drop over the
     * device subsets, at the missing-device table's label fraction).
     */
    static String claims(EvaluationConfig ev, List<Record> records, List<List<String>> subsets) {
        return claims(ev, records, subsets, false);
    }

    /** As {@link #claims(EvaluationConfig, List, List)}; with {@code byModality} the absent units are modalities (single-device data). */
    static String claims(EvaluationConfig ev, List<Record> records, List<List<String>> subsets, boolean byModality) {
        StringBuilder md = new StringBuilder("\n## The paper's claims on this run\n\n");
        java.util.function.BiFunction<String, Double, Double> f1 = (arm, f) -> mean(records.stream()
                .filter(r -> r.arm().equals(arm) && r.labelFraction() == f).mapToDouble(r -> r.test().macroF1()).toArray());
        List<String> arms = ev.arms();
        int lines = 0;
        if (arms.contains("supervised") && (arms.contains("crossl-probe") || arms.contains("crossl-finetune"))) {
            for (double f : ev.labelFractions()) {
                if (f > 0.1) {
                    continue;
                }
                double probe = arms.contains("crossl-probe") ? f1.apply("crossl-probe", f) : Double.NaN;
                double tune = arms.contains("crossl-finetune") ? f1.apply("crossl-finetune", f) : Double.NaN;
                double crossl = Double.isNaN(probe) ? tune : Double.isNaN(tune) ? probe : Math.max(probe, tune);
                double sup = f1.apply("supervised", f);
                md.append(String.format(Locale.ROOT, "- CroSSL beats the supervised baseline at label fraction %s: **%s** (CroSSL %.3f — probe %.3f, "
                        + "fine-tune %.3f — against %.3f)%n", f, crossl > sup ? "yes" : "no", crossl, probe, tune, sup));
                lines++;
            }
        }
        if (arms.contains("crossl-probe") && arms.contains("crossl-random-mask")) {
            int wins = 0;
            StringBuilder detail = new StringBuilder();
            for (double f : ev.labelFractions()) {
                double sp = f1.apply("crossl-probe", f);
                double rnd = f1.apply("crossl-random-mask", f);
                wins += sp > rnd ? 1 : 0;
                detail.append(String.format(Locale.ROOT, "%s%s: %.3f vs %.3f", detail.length() == 0 ? "" : "; ", f, sp, rnd));
            }
            md.append(String.format(Locale.ROOT, "- Spatial masking beats random masking (linear probes): **%s** at %d of %d label fractions (%s)%n",
                    wins == ev.labelFractions().size() ? "yes" : wins == 0 ? "no" : "mixed", wins, ev.labelFractions().size(), detail));
            lines++;
        }
        if (!subsets.isEmpty() && arms.contains("supervised")) {
            double f = ev.labelFractions().get(ev.labelFractions().size() - 1);
            java.util.function.Function<String, Double> drop = arm -> {
                List<Record> rs = records.stream().filter(r -> r.arm().equals(arm) && r.labelFraction() == f).toList();
                double none = mean(rs.stream().mapToDouble(r -> r.test().macroF1()).toArray());
                double missing = mean(subsets.stream().mapToDouble(sub -> mean(rs.stream()
                        .mapToDouble(r -> r.missing().get(MissingDevices.key(sub))).toArray())).toArray());
                return none - missing;
            };
            double sup = drop.apply("supervised");
            for (String arm : List.of("crossl-probe", "crossl-finetune")) {
                if (arms.contains(arm)) {
                    double d = drop.apply(arm);
                    md.append(String.format(Locale.ROOT, "- A missing %s costs %s less than the supervised model (label fraction %s): **%s** "
                            + "(mean macro-F1 drop %.3f against %.3f)%n", byModality ? "modality" : "device", arm, f, d < sup ? "yes" : "no", d, sup));
                    lines++;
                }
            }
        }
        return lines == 0 ? "" : md.toString();
    }

    /**
     * One table over the runs of a sweep: a row per run (its swept values), a column per arm and
     * label fraction, mean ± std macro-F1 over seeds.
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
                + "`: macro-F1, mean ± std over seeds, one row per combination of the swept keys.\n\n| run |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        columns.forEach(c -> md.append("---|"));
        md.append('\n');
        runs.forEach((label, rs) -> {
            md.append("| ").append(label.isEmpty() ? "(base)" : label).append(" |");
            for (String c : columns) {
                double[] v = rs.stream().filter(r -> (r.arm() + " @ " + r.labelFraction()).equals(c)).mapToDouble(r -> r.test().macroF1()).toArray();
                md.append(v.length == 0 ? " – |" : String.format(Locale.ROOT, " %.3f ± %.3f |", mean(v), std(v)));
            }
            md.append('\n');
        });
        return md.toString();
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
