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
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.Versions;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataRoot;
import org.crossl.core.data.Normalizer;
import org.crossl.core.eval.LinearProbe;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.model.ModelIO;
import org.crossl.core.train.EpochMetrics;
import org.crossl.core.train.PretrainResult;
import org.crossl.core.train.Pretrainer;
import org.crossl.core.train.TrainingListener;

/**
 * A whole pretraining run into an output directory:
 * <pre>
 * OUT/run.json      resolved config, provenance (versions, data description), status and summary
 * OUT/config.yaml   the resolved config alone, reusable as an input config
 * OUT/metrics.csv   one row per epoch (see {@link MetricsCsv})
 * OUT/model/        the pretrained model (see {@link ModelIO}); best validation epoch
 * </pre>
 * Optionally a linear probe on frozen Z (before and after pretraining) gives a first reading of
 * what was learned; see {@link LinearProbe}.
 * {@code run.json} is written when the run starts ({@code status: running}) and rewritten at the end
 * ({@code finished} or {@code failed} with the error), so a crash leaves a record.
 */
public final class PretrainRun {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PretrainRun.class);
    public static final String RUN_FILE = "run.json";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String MODEL_DIR = "model";

    private final ModelAssembler assembler;

    public PretrainRun(ModelAssembler assembler) {
        this.assembler = assembler;
    }

    /** Outcome of a run. */
    public record Outcome(PretrainResult result, Path outDir, Path modelDir, ObjectNode runJson) {
    }

    /**
     * @param probe also fit a linear probe on frozen Z before and after pretraining (needs labelled
     *              training and test windows) and record it in {@code run.json} under {@code linearProbe}
     */
    public Outcome run(ExperimentConfig config, DataRoot dataRoot, Path out, boolean overwrite, List<String> commandLine,
                       TrainingListener progress, boolean probe) throws IOException {
        if (Files.exists(out.resolve(RUN_FILE)) && !overwrite) {
            throw new IllegalArgumentException("output directory " + out.toAbsolutePath() + " already holds a run (run.json); "
                    + "choose another --out, or pass --force to replace it");
        }
        Files.createDirectories(out);
        ObjectNode run = Json.JSON.createObjectNode();
        run.put("status", "loading data");
        run.put("started", Instant.now().toString());
        if (commandLine != null) {
            ArrayNode cmd = run.putArray("command");
            commandLine.forEach(cmd::add);
        }
        run.putPOJO("environment", Versions.environment());
        run.put("dataRoot", dataRoot.path().toString());
        run.set("configAsWritten", config.tree());
        writeJson(out.resolve(RUN_FILE), run);

        try {
            ModelAssembler.LoadedData loaded = assembler.loadData(config, dataRoot.requireExists().path());
            DataSplits splits = loaded.splits();
            run.putPOJO("data", splits.description());
            LOG.debug("data loaded: {} train, {} validation, {} test windows", splits.train().size(), splits.validation().size(),
                    splits.test().size());
            WindowDataset train = splits.train();
            WindowDataset val = splits.validation();
            List<ModalitySpec> modalities = train.modalities();
            ModelAssembler.Assembled a = assembler.assemble(config, modalities, loaded.resolvedSection());
            Normalizer norm = null;
            if (config.normalize()) {
                norm = Normalizer.fit(train);
                train = norm.apply(train);
                val = norm.apply(val);
                a.model().setNormalizer(norm);
            }
            run.set("config", a.resolvedConfig());
            LOG.debug("model assembled: {} parameters, code size {}, embedding size {}", a.model().parameterCount(),
                    a.model().codeSize(), a.model().aggregator().outputSize());
            ObjectNode modelInfo = run.putObject("model");
            modelInfo.put("parameters", a.model().parameterCount());
            modelInfo.put("codeSize", a.model().codeSize());
            modelInfo.put("embeddingSize", a.model().aggregator().outputSize());
            run.put("status", "running");
            writeJson(out.resolve(RUN_FILE), run);
            Files.writeString(out.resolve("config.yaml"), Json.YAML.writeValueAsString(a.resolvedConfig()));

            LinearProbe.Result before = probe ? LinearProbe.fitAndScore(a.model(), splits.train(), splits.test()) : null;
            if (progress != null && before != null) {
                progress.onMessage(String.format(java.util.Locale.ROOT,
                        "linear probe on Z before pretraining: test accuracy %.3f, macro-F1 %.3f (%d test windows)",
                        before.test().accuracy(), before.test().macroF1(), before.test().count()));
            }
            PretrainResult result;
            try (MetricsCsv csv = new MetricsCsv(out.resolve(METRICS_FILE), a.objective().termNames())) {
                List<TrainingListener> listeners = new ArrayList<>();
                listeners.add(csv);
                if (progress != null) {
                    listeners.add(progress);
                }
                Pretrainer trainer = new Pretrainer(a.model(), a.masker(), a.objective(), config.optimizer(), config.training(),
                        config.seed(), fanOut(listeners));
                result = trainer.fit(train, val);
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
            if (probe) {
                LinearProbe.Result after = LinearProbe.fitAndScore(a.model(), splits.train(), splits.test());
                if (after != null) {
                    ObjectNode p = run.putObject("linearProbe");
                    p.put("method", "multinomial logistic regression on frozen Z; all labelled training windows; every labelled test window");
                    p.put("trainWindows", after.trainWindows());
                    p.put("testWindows", after.test().count());
                    p.put("classes", after.classes());
                    p.set("pretrained", probeJson(after));
                    p.set("untrained", probeJson(before));
                    if (progress != null) {
                        progress.onMessage(String.format(java.util.Locale.ROOT,
                                "linear probe on Z after pretraining: test accuracy %.3f, macro-F1 %.3f (untrained: %.3f, %.3f)",
                                after.test().accuracy(), after.test().macroF1(), before.test().accuracy(), before.test().macroF1()));
                    }
                }
            }
            writeJson(out.resolve(RUN_FILE), run);
            return new Outcome(result, out, modelDir, run);
        } catch (RuntimeException | IOException e) {
            LOG.debug("run failed", e);
            run.put("status", "failed");
            run.put("error", String.valueOf(e.getMessage()));
            run.put("finished", Instant.now().toString());
            writeJson(out.resolve(RUN_FILE), run);
            throw e;
        }
    }

    private static ObjectNode probeJson(LinearProbe.Result r) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("accuracy", r.test().accuracy());
        o.put("macroF1", r.test().macroF1());
        ObjectNode per = o.putObject("perClassF1");
        r.test().perClassF1().forEach(per::put);
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
