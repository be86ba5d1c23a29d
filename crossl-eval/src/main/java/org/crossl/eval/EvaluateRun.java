package org.crossl.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.LabelFractions;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.nn.Parameter;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.Fingerprint;
import org.crossl.core.PretrainedModel;
import org.crossl.core.RunLock;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataRoot;
import org.crossl.core.data.Normalizer;
import org.crossl.core.model.CrosslModel;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;
import org.crossl.eval.heads.ClassificationMetrics;
import org.crossl.eval.heads.Downstream;

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

    @com.google.inject.Inject
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
        return run(config, root, out, progressHome, overwrite, fresh, log, null);
    }

    /**
     * Computes an evaluation's units somewhere else: each pretraining (seed × distinct pretraining)
     * and each record (seed × label fraction × arm) is a unit that {@link #computeUnits} can run on
     * its own, in any process that sees the progress folder. crossl-spark's engine runs them as
     * Spark tasks.
     */
    public interface UnitRunner {
        /**
         * Runs every unit (each with {@code computeUnits(config, root, progressHome, Set.of(unit))}
         * or the equivalent) and returns what they computed: record key → record as JSON. Pretrained
         * models are written into the progress folder by the units themselves.
         */
        Map<String, String> run(ExperimentConfig config, DataRoot root, Path progressHome, List<String> units);
    }

    /**
     * A run whose pretrainings and then records are computed by {@code runner} (null: here, one after
     * another); the report is then written here from the progress folder, so its numbers are the
     * ones a local run computes.
     */
    public List<Record> run(ExperimentConfig config, DataRoot root, Path out, Path progressHome, boolean overwrite, boolean fresh,
                            Consumer<String> log, UnitRunner runner) throws IOException {
        // one writer per directory: the results and the progress folder an interrupted run continues from
        try (RunLock home = RunLock.acquire(progressHome, "crossl evaluate --out " + progressHome);
             RunLock own = out.toAbsolutePath().normalize().equals(progressHome.toAbsolutePath().normalize()) ? null
                     : RunLock.acquire(out, "crossl evaluate --out " + progressHome)) {
            if (runner != null) {
                if (Files.exists(out.resolve(RESULTS_JSON)) && !overwrite) {
                    throw new IllegalArgumentException(out.resolve(RESULTS_JSON) + " exists; use --force to replace it");
                }
                if (fresh) {
                    new EvaluationProgress(progressHome, true);
                }
                // pretrainings first (each record needs its arm's), then the records
                for (String phase : List.of(PRETRAIN_UNIT, RECORD_UNIT)) {
                    Mode plan = new Mode(Set.of());
                    runLocked(config, root, out, progressHome, true, false, line -> { }, plan);
                    List<String> pending = plan.pending.stream().filter(u -> u.startsWith(phase)).toList();
                    if (pending.isEmpty()) {
                        continue;
                    }
                    log.accept(pending.size() + " " + (phase.equals(PRETRAIN_UNIT) ? "pretrainings" : "records") + " to compute as units");
                    Map<String, String> computed = runner.run(config, root, progressHome, pending);
                    EvaluationProgress progress = new EvaluationProgress(progressHome, false);
                    for (Map.Entry<String, String> e : computed.entrySet()) {
                        progress.saveRecord(e.getKey(), Json.JSON.readValue(e.getValue(), Record.class));
                    }
                }
            }
            return runLocked(config, root, out, progressHome, overwrite, fresh && runner == null, log, null);
        }
    }

    /** Prefixes of unit names: {@code pretrain seed=S VARIANT} and {@code record seed=S fraction=F ARM}. */
    public static final String PRETRAIN_UNIT = "pretrain ";
    public static final String RECORD_UNIT = "record ";

    /**
     * Computes only {@code units} of {@code config}'s evaluation, with what the progress folder
     * holds: a pretraining unit trains and saves its model there; a record unit fits and scores its
     * head on the pretrained model found there, and is returned (record key → record as JSON)
     * rather than written, so that one process (the caller of {@link UnitRunner#run}) appends to
     * {@code records.jsonl}. No lock is taken: the process that runs the evaluation holds it.
     */
    public Map<String, String> computeUnits(ExperimentConfig config, DataRoot root, Path progressHome, java.util.Set<String> units)
            throws IOException {
        Mode mode = new Mode(units);
        runLocked(config, root, progressHome, progressHome, true, false, line -> { }, mode);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Record> e : mode.computed.entrySet()) {
            out.put(e.getKey(), Json.JSON.writeValueAsString(e.getValue()));
        }
        return out;
    }

    /** Which units an invocation computes: all ({@code only} null, a normal run) or the named ones (nothing else is written). */
    private static final class Mode {
        final java.util.Set<String> only;
        final List<String> pending = new ArrayList<>();
        final Map<String, Record> computed = new LinkedHashMap<>();

        Mode(java.util.Set<String> only) {
            this.only = only;
        }

        /** True when this invocation computes {@code unit}; otherwise it is noted as pending. */
        boolean computes(String unit) {
            if (only == null || only.contains(unit)) {
                return true;
            }
            pending.add(unit);
            return false;
        }
    }

    private List<Record> runLocked(ExperimentConfig config, DataRoot root, Path out, Path progressHome, boolean overwrite, boolean fresh,
                                   Consumer<String> log, Mode mode) throws IOException {
        boolean partial = mode != null && mode.only != null;
        if (Files.exists(out.resolve(RESULTS_JSON)) && !overwrite) {
            throw new IllegalArgumentException(out.resolve(RESULTS_JSON) + " exists; use --force to replace it");
        }
        EvaluationConfig ev = config.evaluation().bind(EvaluationConfig.class, config.source());
        List<Arm> arms = ev.armList();
        if (!partial) {
            Files.createDirectories(out);
        }
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
            withouts.put(gone, byModality ? MissingDevices.withoutModalities(test, gone) : MissingDevices.without(test, gone));
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
                if (variantOfKey.containsKey(key)) { // arms with one resolved pretraining share it
                    continue;
                }
                String variant = variantName(arm, variantOfKey.values());
                variantOfKey.put(key, variant);
                var kept = progress.pretrained(variant, seed, key, assembler);
                CrosslModel model;
                PretrainResult r;
                if (kept.isEmpty() && partial && !mode.computes(PRETRAIN_UNIT + "seed=" + seed + " " + variant)) {
                    continue; // another unit's work
                }
                if (kept.isPresent()) {
                    log.accept("seed " + seed + ": pretraining " + variant + " reused from " + progressHome.resolve(EvaluationProgress.DIR));
                    reused[0]++;
                    model = kept.get().model();
                    r = kept.get().history();
                } else {
                    log.accept("seed " + seed + ": pretraining " + variant + (arm.pretrain().isEmpty() ? "" : " " + arm.toTree().get("pretrain")));
                    String tag = "seed " + seed + ", " + variant;
                    // the splits are raw: the trainer applies the shared normaliser, as it does for the heads' data above
                    // checkpoints in the progress folder: a pretraining killed midway continues from its newest step boundary
                    Path training = progress.trainingDir(variant, seed, key);
                    org.crossl.core.train.Checkpoints checkpoints = new org.crossl.core.train.Checkpoints(training, key,
                            c.training().checkpointEverySteps(), 1);
                    PretrainedModel p = CrosslTrainer.builder(c).assembler(assembler).normalizer(norm).checkpoints(checkpoints)
                            .listener(new TrainingListener() {
                        @Override
                        public void onResume(List<org.crossl.core.train.EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
                            log.accept(String.format(Locale.ROOT, "  %s: continuing from %s (epoch %d, batch %d)", tag, checkpoint, epoch,
                                    nextBatch + 1));
                        }

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
                    org.crossl.core.AtomicFiles.deleteTree(training); // the finished model replaces its checkpoints
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
                    if (keptRecord.isEmpty() && partial && (!mode.computes(RECORD_UNIT + "seed=" + seed + " fraction=" + fraction + " " + arm.name())
                            || arm.pretrained() && !pretrained.containsKey(modelKey))) {
                        continue; // another unit's work, or its pretraining is not done yet
                    }
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
                    if (partial) {
                        mode.computed.put(recordKey, rec); // the caller appends it: one writer of records.jsonl
                    } else {
                        progress.saveRecord(recordKey, rec);
                    }
                    records.add(rec);
                    log.accept(String.format(Locale.ROOT, "seed %d, fraction %s, %-18s macro-F1 %.3f, accuracy %.3f, validation macro-F1 %.3f "
                                    + "(%d labelled windows)", seed, fraction, arm.name(), m.macroF1(), m.accuracy(), t.bestValidationMacroF1(), idx.length));
                }
            }
        }
        if (partial) {
            return records;
        }
        EvaluationReport.write(out, config, ev, splits, records, pretraining, subsets, allSubsets, byModality, (System.nanoTime() - t0) / 1e9,
                reused[0] + reused[1] == 0 ? "" : String.format(Locale.ROOT, " (this invocation; %d pretraining%s and %d of %d records were reused "
                        + "from earlier invocations into %s)", reused[0], reused[0] == 1 ? "" : "s", reused[1], records.size(),
                        progressHome.resolve(EvaluationProgress.DIR)));
        EvaluationReport.charts(out, ev, records, histories, subsets, byModality, train.classNames());
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
        ObjectNode resolved = Json.tree(assembler.assemble(c, mods, null).resolvedConfig());
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

    private static void copy(CrosslModel from, CrosslModel to) {
        Map<String, Parameter> src = from.namedParameters();
        for (Map.Entry<String, Parameter> e : to.namedParameters().entrySet()) {
            e.getValue().value().assign(src.get(e.getKey()).value());
        }
        to.setNormalizer(from.normalizer());
    }

}
