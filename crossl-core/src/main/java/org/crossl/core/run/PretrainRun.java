package org.crossl.core.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.crossl.api.data.DataSplits;
import org.crossl.core.PretrainEngine;
import org.crossl.core.AtomicFiles;
import org.crossl.core.CrosslTrainer;
import org.crossl.core.IoErrors;
import org.crossl.core.RunLock;
import org.crossl.core.Versions;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataRoot;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.train.Checkpoints;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.MemoryLog;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.TrainingListener;

/**
 * A whole pretraining run into an output directory:
 * <pre>
 * OUT/run.json      resolved config, provenance (versions, data description), status and summary
 * OUT/config.yaml   the resolved config alone, reusable as an input config
 * OUT/metrics.csv   one row per epoch (see {@link MetricsCsv})
 * OUT/memory.csv    resident memory every N steps (see {@link MemoryLog})
 * OUT/model/        the pretrained model (see {@link ModelIO}); best validation epoch
 * </pre>
 * Optionally a probe of frozen Z (before and after pretraining) gives a first reading of what was
 * learned; see {@link EmbeddingProbe} (the CLI uses crossl-eval's linear probe).
 * {@code run.json} is written when the run starts ({@code status: running}) and rewritten at the end
 * ({@code finished} or {@code failed} with the error), so a crash leaves a record.
 */
public final class PretrainRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PretrainRun.class);
    public static final String RUN_FILE = "run.json";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String MODEL_DIR = "model";
    public static final String MEMORY_FILE = "memory.csv";

    private final ModelAssembler assembler;
    private final int memoryEvery;
    private final String engine;
    private final Map<String, String> engineOptions;

    @com.google.inject.Inject
    public PretrainRun(ModelAssembler assembler) {
        this(assembler, 50);
    }

    /** @param memoryEvery write {@link #MEMORY_FILE} every this many steps; 0 for none */
    public PretrainRun(ModelAssembler assembler, int memoryEvery) {
        this(assembler, memoryEvery, null, Map.of());
    }

    /**
     * @param engine  the {@link PretrainEngine} by name; null for the local one, or on resume the one the run recorded
     * @param options its options ({@code master} for Spark); on resume, given options replace the recorded ones
     */
    public PretrainRun(ModelAssembler assembler, int memoryEvery, String engine, Map<String, String> options) {
        if (memoryEvery < 0) {
            throw new IllegalArgumentException("--memory-every must be ≥ 0, got " + memoryEvery);
        }
        this.assembler = assembler;
        this.memoryEvery = memoryEvery;
        this.engine = engine;
        this.engineOptions = Map.copyOf(options);
    }

    /** This run with resident memory recorded every {@code memoryEvery} steps (0 = never). */
    public PretrainRun withMemoryEvery(int memoryEvery) {
        return new PretrainRun(assembler, memoryEvery, engine, engineOptions);
    }

    /** This run on the named {@link org.crossl.core.PretrainEngine} (null: the run's own, or local) with its options. */
    public PretrainRun withEngine(String engine, Map<String, String> options) {
        return new PretrainRun(assembler, memoryEvery, engine, options);
    }

    /** Outcome of a run. */
    public record Outcome(PretrainResult result, Path outDir, Path modelDir, Path runFile) {
    }

    /**
     * @param probe when not null, read frozen Z before and after pretraining (needs labelled
     *              training and test windows) and record it in {@code run.json} under {@code linearProbe}
     */
    public Outcome run(ExperimentConfig config, DataRoot dataRoot, Path out, boolean overwrite, List<String> commandLine,
                       TrainingListener progress, EmbeddingProbe probe) throws IOException {
        PretrainEngine eng = PretrainEngine.named(engine); // an unknown engine is a usage error: nothing is written
        checkWritable(out);
        // one writer per run directory, from before anything in it is read or replaced until the run ends
        try (RunLock lock = RunLock.acquire(out, "crossl pretrain --out " + out)) {
            return start(config, dataRoot, out, overwrite, commandLine, progress, probe, eng);
        }
    }

    private Outcome start(ExperimentConfig config, DataRoot dataRoot, Path out, boolean overwrite, List<String> commandLine,
                          TrainingListener progress, EmbeddingProbe probe, PretrainEngine eng) throws IOException {
        if (Files.exists(out.resolve(RUN_FILE)) && !overwrite) {
            throw new IllegalArgumentException("output directory " + out.toAbsolutePath() + " already holds a run (run.json); "
                    + "choose another --out, pass --force to replace it, or --resume " + out + " to continue it");
        }
        for (Path c : Checkpoints.list(out)) { // a replaced run's checkpoints must not be resumed into the new one
            AtomicFiles.deleteTree(c);
        }
        AtomicFiles.deleteTree(out.resolve(Checkpoints.BEST));
        Files.deleteIfExists(out.resolve(MEMORY_FILE)); // a replaced run's memory log is not this run's
        ObjectNode run = Json.JSON.createObjectNode();
        run.put("status", "loading data");
        run.put("started", Instant.now().toString());
        if (commandLine != null) {
            ArrayNode cmd = run.putArray("command");
            commandLine.forEach(cmd::add);
        }
        run.putPOJO("environment", Versions.environment());
        run.put("dataRoot", dataRoot.path().toString());
        run.set("configAsWritten", Json.tree(config));
        writeJson(out.resolve(RUN_FILE), run);
        return train(config, dataRoot, out, run, progress, probe, eng, engineOptions);
    }

    /**
     * Continues a killed or failed run from its newest complete checkpoint, with the config it
     * started with (from its {@code run.json}) and the same data, so that it ends where an
     * uninterrupted run would have.
     *
     * @param dataRoot the data root, or {@code null} for the one the run recorded
     */
    public Outcome resume(Path dir, DataRoot dataRoot, List<String> commandLine, TrainingListener progress, EmbeddingProbe probe) throws IOException {
        if (!Files.exists(dir.resolve(RUN_FILE))) {
            throw new IllegalArgumentException("nothing to resume in " + dir.toAbsolutePath() + ": it holds no run.json");
        }
        checkWritable(dir);
        try (RunLock lock = RunLock.acquire(dir, "crossl pretrain --resume " + dir)) {
            return resumeLocked(dir, dataRoot, commandLine, progress, probe);
        }
    }

    private Outcome resumeLocked(Path dir, DataRoot dataRoot, List<String> commandLine, TrainingListener progress, EmbeddingProbe probe)
            throws IOException {
        Path file = dir.resolve(RUN_FILE);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("nothing to resume in " + dir.toAbsolutePath() + ": it holds no run.json");
        }
        ObjectNode run;
        try {
            run = (ObjectNode) Json.JSON.readTree(file.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(file + " is damaged (" + e.getMessage() + "); the run cannot be resumed");
        }
        if ("finished".equals(run.path("status").asText())) {
            throw new IllegalArgumentException("the run in " + dir + " has finished (" + file + "); there is nothing to resume");
        }
        if (!(run.get("configAsWritten") instanceof ObjectNode written)) {
            throw new IllegalArgumentException(file + " records no config (configAsWritten); the run cannot be resumed");
        }
        ExperimentConfig config = Json.config(written, file + " (configAsWritten)");
        DataRoot root = dataRoot != null ? dataRoot : new DataRoot(Path.of(run.path("dataRoot").asText(".")).toAbsolutePath().normalize(), file + " (dataRoot)");
        ArrayNode resumed = run.has("resumed") && run.get("resumed").isArray() ? (ArrayNode) run.get("resumed") : run.putArray("resumed");
        ObjectNode r = resumed.addObject();
        r.put("at", Instant.now().toString());
        if (commandLine != null) {
            ArrayNode cmd = r.putArray("command");
            commandLine.forEach(cmd::add);
        }
        run.remove("error");
        JsonNode recorded = run.path("engine");
        String engineName = engine != null ? engine : recorded.path("name").asText(PretrainEngine.LocalEngine.NAME);
        PretrainEngine eng = PretrainEngine.named(engineName); // before the record is touched
        Map<String, String> options = new java.util.LinkedHashMap<>();
        if (engineName.equals(recorded.path("name").asText(PretrainEngine.LocalEngine.NAME)) && recorded.path("options").isObject()) {
            recorded.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        }
        options.putAll(engineOptions);
        run.put("status", "loading data");
        writeJson(file, run);
        return train(config, root, dir, run, progress, probe, eng, options);
    }

    private Outcome train(ExperimentConfig config, DataRoot dataRoot, Path out, ObjectNode run, TrainingListener progress, EmbeddingProbe probe,
                          PretrainEngine eng, Map<String, String> options) throws IOException {
        try (PretrainEngine.Session session = eng.open(config, assembler, dataRoot.requireExists().path(), options)) {
            return train(config, out, run, progress, probe, session);
        } catch (RuntimeException | IOException e) {
            LOG.debug("run failed", e);
            run.put("status", "failed");
            run.put("error", String.valueOf(e.getMessage()));
            run.put("finished", Instant.now().toString());
            try {
                writeJson(out.resolve(RUN_FILE), run);
            } catch (IOException | RuntimeException w) { // the failure itself is what the user must see
                e.addSuppressed(w);
                LOG.warn("could not record the failure in {}: {}", out.resolve(RUN_FILE), IoErrors.describe(w));
            }
            throw e;
        }
    }

    private Outcome train(ExperimentConfig config, Path out, ObjectNode run, TrainingListener progress, EmbeddingProbe probe,
                          PretrainEngine.Session session) throws IOException {
        ModelAssembler.Assembled a = session.assembled();
        Map<String, Object> engineRecord = session.record();
        if (engineRecord.size() > 1 && !(engineRecord instanceof java.util.LinkedHashMap || engineRecord instanceof java.util.SortedMap)) {
            throw new IllegalStateException("engine '" + engineRecord.get("name") + "' returned its record as a " + engineRecord.getClass().getName()
                    + ", whose key order can change between runs and would change the checkpoint key; return a LinkedHashMap");
        }
        run.set("engine", Json.JSON.valueToTree(engineRecord));
        run.putPOJO("data", session.dataDescription());
        DataSplits splits = session.localSplits().orElse(null);
        if (probe != null && splits == null && progress != null) {
            progress.onMessage("the linear probe on Z is skipped: the windows are read by the " + session.record().get("name")
                    + " engine, not in this process (crossl evaluate scores a pretrained model)");
        }
        EmbeddingProbe probeOrNone = splits == null ? null : probe;
        run.set("config", Json.tree(a.resolvedConfig()));
        LOG.debug("model assembled: {} parameters, code size {}, embedding size {}", a.model().parameterCount(),
                a.model().codeSize(), a.model().aggregator().outputSize());
        ObjectNode modelInfo = run.putObject("model");
        modelInfo.put("parameters", a.model().parameterCount());
        modelInfo.put("codeSize", a.model().codeSize());
        modelInfo.put("embeddingSize", a.model().aggregator().outputSize());
        run.put("status", "running");
        writeJson(out.resolve(RUN_FILE), run);
        Files.writeString(out.resolve("config.yaml"), a.resolvedConfig().toYaml());

        EmbeddingProbe.Reading before = probeOrNone != null ? probeOrNone.read(a.model(), splits.train(), splits.test()) : null;
        if (progress != null && before != null) {
            progress.onMessage(String.format(java.util.Locale.ROOT,
                    "linear probe on Z before pretraining: test accuracy %.3f, macro-F1 %.3f (%d test windows)",
                    before.accuracy(), before.macroF1(), before.testWindows()));
        }
        PretrainResult result;
        try (MetricsCsv csv = new MetricsCsv(out.resolve(METRICS_FILE), a.objective().termNames());
             MemoryLog memory = memoryEvery == 0 ? null : new MemoryLog(out.resolve(MEMORY_FILE), memoryEvery)) {
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(csv);
            if (memory != null) {
                listeners.add(memory);
            }
            if (progress != null) {
                listeners.add(progress);
            }
            // a checkpoint resumes only into the same config, data and engine settings (a local run's key is the engine-free one)
            String engineKey = PretrainEngine.LocalEngine.NAME.equals(session.record().get("name")) ? "" : Json.JSON.valueToTree(session.record()).toString();
            String key = org.crossl.core.Fingerprint.sha256(a.resolvedConfig().toJson() + engineKey,
                    session.trainWindows() + "/" + session.validationWindows());
            Checkpoints checkpoints = new Checkpoints(out, key, config.training().checkpointEverySteps(), config.training().keepCheckpoints());
            checkSpace(out, a.model().parameterCount(), config.training().keepCheckpoints());
            try {
                result = session.fit(fanOut(listeners), checkpoints);
            } catch (CrosslTrainer.CheckpointIOException uio) {
                IOException e = uio.getCause();
                List<Path> kept = checkpoints.list();
                throw checkpointFailure(out, e, kept);
            }
        }
        Path modelDir = out.resolve(MODEL_DIR);
        ModelIO.save(a.model(), modelDir);
        run.put("status", "finished");
        run.put("finished", Instant.now().toString());
        ObjectNode summary = run.putObject("result");
        summary.put("epochs", result.history().size());
        summary.put("bestEpoch", result.bestEpoch());
        summary.put("stopReason", result.stopReason());
        summary.put("seconds", result.seconds());
        if (!result.history().isEmpty()) {
            EpochMetrics first = result.history().get(0);
            EpochMetrics best = result.history().get(Math.max(0, result.bestEpoch() - 1));
            summary.put("firstTrainLoss", first.trainLoss());
            summary.put("firstValLoss", first.valLoss());
            summary.put("bestTrainLoss", best.trainLoss());
            summary.put("bestValLoss", best.valLoss());
            summary.put("bestZStd", best.zStd());
            ArrayNode perDim = summary.putArray("bestZStdPerDimension");
            for (double v : best.zStdPerDim()) {
                perDim.add(Math.round(v * 1e6) / 1e6);
            }
            summary.put("meanEpochSeconds", result.history().stream().mapToDouble(EpochMetrics::seconds).average().orElse(0));
        }
        summary.put("model", MODEL_DIR);
        if (probeOrNone != null) {
            EmbeddingProbe.Reading after = probeOrNone.read(a.model(), splits.train(), splits.test());
            if (after != null) {
                ObjectNode p = run.putObject("linearProbe");
                p.put("method", after.method());
                p.put("trainWindows", after.trainWindows());
                p.put("testWindows", after.testWindows());
                p.put("classes", after.classes());
                p.set("pretrained", probeJson(after));
                p.set("untrained", probeJson(before));
                if (progress != null) {
                    progress.onMessage(String.format(java.util.Locale.ROOT,
                            "linear probe on Z after pretraining: test accuracy %.3f, macro-F1 %.3f (untrained: %.3f, %.3f)",
                            after.accuracy(), after.macroF1(), before.accuracy(), before.macroF1()));
                }
            }
        }
        writeJson(out.resolve(RUN_FILE), run);
        return new Outcome(result, out, modelDir, out.resolve(RUN_FILE));
    }

    /**
     * The error for a checkpoint that could not be written or read: what happened (from the
     * exception, not a guess), the newest complete checkpoint, and what to do before resuming.
     */
    static IOException checkpointFailure(Path out, IOException e, List<Path> kept) {
        String advice = switch (IoErrors.kind(e)) {
            case NO_SPACE -> "free space";
            case PERMISSION, READ_ONLY -> "make " + out + " writable";
            case MISSING, EXISTS -> "make sure no other process writes or cleans " + out;
            default -> "fix the cause";
        };
        return new IOException("could not write or read a checkpoint in " + out + ": " + IoErrors.describe(e)
                + (kept.isEmpty() ? "" : "; the newest complete checkpoint is " + kept.get(kept.size() - 1).getFileName()
                + ": " + advice + " and run crossl pretrain --resume " + out), e);
    }

    /** Fails at once, naming the directory, when the run could not write its results. */
    static void checkWritable(Path out) {
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write to the output directory " + out.toAbsolutePath() + ": "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString())
                    + "; choose another --out", e);
        }
    }

    /**
     * Fails before training when the output directory's file system cannot hold what the run will
     * write: {@code keep} checkpoints, {@code checkpoint-best} and one being written (each four
     * float32 copies of the parameters: weights, Adam's two moments, the best epoch's weights), the
     * model, and a megabyte for the records.
     */
    static void checkSpace(Path out, long parameters, int keep) throws IOException {
        long need = parameters * 4L * (4L * (keep + 2) + 1) + (1L << 20);
        long free = Files.getFileStore(out).getUsableSpace();
        if (free < need) {
            throw new IOException(String.format(java.util.Locale.ROOT,
                    "the output directory %s has %.1f MB free, but this run's checkpoints and model need about %.1f MB "
                            + "(%d parameters, training.keepCheckpoints=%d); free space, lower keepCheckpoints, or choose another --out",
                    out.toAbsolutePath(), free / 1e6, need / 1e6, parameters, keep));
        }
    }

    private static ObjectNode probeJson(EmbeddingProbe.Reading r) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("accuracy", r.accuracy());
        o.put("macroF1", r.macroF1());
        ObjectNode per = o.putObject("perClassF1");
        r.perClassF1().forEach(per::put);
        return o;
    }

    private static TrainingListener fanOut(List<TrainingListener> ls) {
        return new TrainingListener() {
            @Override
            public void onStart(int epochs, int batches, int trainWindows, int validationWindows) {
                ls.forEach(l -> l.onStart(epochs, batches, trainWindows, validationWindows));
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, double loss) {
                ls.forEach(l -> l.onBatch(epoch, batch, batches, loss));
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                ls.forEach(l -> l.onEpoch(m));
            }

            @Override
            public void onEnd(PretrainResult r) {
                ls.forEach(l -> l.onEnd(r));
            }

            @Override
            public void onResume(List<EpochMetrics> history, int epoch, int nextBatch, String checkpoint) {
                ls.forEach(l -> l.onResume(history, epoch, nextBatch, checkpoint));
            }

            @Override
            public void onMessage(String message) {
                ls.forEach(l -> l.onMessage(message));
            }
        };
    }

    static void writeJson(Path file, Object value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Json.JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Used by embed and other commands that read a run's model: accepts the run or the model directory. */
    public static Path modelDir(Path given) {
        if (Files.exists(given.resolve(ModelIO.MODEL_FILE))) {
            return given;
        }
        if (Files.exists(given.resolve(MODEL_DIR).resolve(ModelIO.MODEL_FILE))) {
            return given.resolve(MODEL_DIR);
        }
        return given;
    }

}
