package org.crossl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.api.data.DataSplits;
import org.crossl.core.Crossl;
import org.crossl.core.PretrainedModel;
import org.crossl.core.RunLock;
import org.crossl.core.Versions;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.model.ModelAssembler;
import org.crossl.eval.Arm;
import org.crossl.eval.EvaluationConfig;
import org.crossl.eval.heads.ClassificationMetrics;
import org.crossl.eval.heads.CrosslClassifier;
import org.crossl.eval.heads.Downstream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code crossl finetune --model DIR --config FILE --out DIR2}. */
@Command(name = "finetune", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a classifier on a pretrained model with the config's labelled data: a probe (frozen model) or fine-tuning; "
                + "head settings come from the config's evaluation: section. Writes the classifier (model.json, parameters.bin, "
                + "classifier.json, classifier.bin) and run.json to --out, for crossl predict.")
final class FinetuneCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a pretrain --out directory, or its model/ directory")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write the classifier to")
    Path out;

    @Option(names = "--head", paramLabel = "MODE", description = "probe (the pretrained model stays frozen) or finetune (model and head "
            + "learn; default)")
    String head = "finetune";

    @Option(names = "--label-fraction", paramLabel = "F", description = "train on this fraction of the labelled training windows, "
            + "drawn per class with the config's seed (default 1: all)")
    double labelFraction = 1.0;

    @Option(names = "--force", description = "replace a classifier already in --out")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Downstream.Mode mode = switch (head.strip().toLowerCase(Locale.ROOT)) {
            case "probe" -> Downstream.Mode.PROBE;
            case "finetune" -> Downstream.Mode.FINETUNE;
            default -> throw new ConfigError("--head must be 'probe' or 'finetune', got '" + head + "'");
        };
        if (!(labelFraction > 0 && labelFraction <= 1)) {
            throw new ConfigError("--label-fraction must be in (0, 1], got " + labelFraction);
        }
        try (RunLock lock = RunLock.acquire(out, "crossl finetune --out " + out)) {
            return finetune(mode);
        }
    }

    private int finetune(Downstream.Mode mode) throws Exception {
        Path modelDir = org.crossl.core.run.PretrainRun.modelDir(model);
        if (Files.exists(out) && Files.exists(modelDir) && (Files.isSameFile(out, model) || Files.isSameFile(out, modelDir))) {
            throw new IllegalArgumentException("--out " + out + " is the pretrained model's own directory; the classifier would replace the model "
                    + "it is built on: choose another --out");
        }
        if (!force) {
            if (Files.exists(out.resolve(CrosslClassifier.CLASSIFIER_FILE))) {
                throw new IllegalArgumentException(out.toAbsolutePath() + " already holds a classifier; choose another --out or pass --force");
            }
            if (Files.exists(out.resolve(org.crossl.core.run.PretrainRun.RUN_FILE)) || Files.exists(out.resolve("model.json"))) {
                throw new IllegalArgumentException(out.toAbsolutePath() + " holds another run or model (run.json or model.json); "
                        + "choose another --out, or pass --force to replace it");
            }
        }
        ExperimentConfig cfg = data.load();
        EvaluationConfig ev = cfg.evaluation().bind(EvaluationConfig.class, cfg.source());
        // the head trains exactly as an evaluation arm of this mode on a pretrained model would
        Downstream.Settings settings = ev.settings(new Arm(mode == Downstream.Mode.PROBE ? "probe" : "finetune", Arm.Role.OTHER, Map.of(), mode,
                null, null, null, null, null));
        ModelAssembler assembler = data.get(ModelAssembler.class);
        var w = spec.commandLine().getOut();
        PretrainedModel pretrained = PretrainedModel.load(model, assembler);
        DataSplits splits = assembler.loadData(cfg, data.root().requireExists().path()).splits();
        w.printf(Locale.ROOT, "%s on %s: %s head on %s features, label fraction %s, seed %d%n", mode == Downstream.Mode.PROBE ? "probe" : "fine-tuning",
                model, settings.classifier().name().toLowerCase(Locale.ROOT), settings.features().name().toLowerCase(Locale.ROOT), labelFraction,
                cfg.seed());
        long t0 = System.nanoTime();
        CrosslClassifier c = CrosslClassifier.fit(pretrained, splits, settings, labelFraction, cfg.seed(), assembler);
        java.util.Map<String, Object> training = c.training();
        ClassificationMetrics test = Downstream.labelled(splits.test()).length == 0 ? null : c.score(splits.test());
        c.save(out);
        ObjectNode run = Json.JSON.createObjectNode();
        run.put("status", "finished");
        ArrayNode cmd = run.putArray("command");
        spec.commandLine().getParseResult().originalArgs().forEach(cmd::add);
        run.put("model", model.toAbsolutePath().toString());
        run.putPOJO("environment", Versions.environment());
        run.put("dataRoot", data.root().path().toString());
        run.set("configAsWritten", Json.tree(cfg));
        run.putPOJO("data", splits.description());
        run.set("training", Json.JSON.valueToTree(training));
        run.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (test != null) {
            ObjectNode t = run.putObject("test");
            t.put("windows", test.count());
            t.put("accuracy", test.accuracy());
            t.put("macroF1", test.macroF1());
            t.set("perClassF1", Json.JSON.valueToTree(test.perClassF1()));
        }
        Json.JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("run.json").toFile(), run);
        w.printf(Locale.ROOT, "%d labelled training windows; best epoch %d, validation macro-F1 %s%s%n", ((Number) training.get("labelledWindows")).intValue(),
                ((Number) training.get("bestEpoch")).intValue(), training.get("validationMacroF1") instanceof Number f1
                        ? String.format(Locale.ROOT, "%.3f", f1.doubleValue()) : "– (no labelled validation windows)",
                test == null ? "" : String.format(Locale.ROOT, "; test macro-F1 %.3f, accuracy %.3f (%d windows)", test.macroF1(), test.accuracy(),
                        test.count()));
        w.println("wrote " + out + " (classifier), " + out.resolve("run.json"));
        return 0;
    }
}
