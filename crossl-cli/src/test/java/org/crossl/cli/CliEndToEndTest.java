package org.crossl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.crossl.core.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on real data (BasicMotions from ../shared/data): pretraining learns
 * (the loss falls) without collapse, the run is recorded, the model reloads and embeds.
 */
class CliEndToEndTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Path dataRoot() {
        String p = System.getProperty("crossl.data");
        if (p == null) {
            p = System.getenv("CROSSL_DATA");
        }
        return p == null ? Path.of("../../shared/data") : Path.of(p);
    }

    @Test
    void pluginsListsTheBuiltInsOfEveryModule() {
        Result r = run("plugins");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("encoders:", "tcn", "transformer", "maskers:", "random", "spatial", "temporal", "aggregators:", "mlp",
                "objectives:", "vicreg", "datasets:", "uea", "hugadb", "hapt", "npy", "recordings");
    }

    @Test
    void evaluateWritesEveryArmFractionAndSeedWithMissingModalities(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path out = tmp.resolve("eval");
        Result r = run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(),
                "--set", "evaluation={seeds: [0], labelFractions: [0.25, 1.0], headEpochs: 3}", "--set", "training.epochs=3");
        assertThat(r.code()).as(r.err()).isZero();
        var json = org.crossl.core.config.Json.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("records")).hasSize(5 * 2);
        var first = json.get("records").get(0);
        assertThat(first.get("arm").asText()).isEqualTo("crossl-probe");
        assertThat(first.get("label_fraction").asDouble()).isEqualTo(0.25);
        assertThat(first.get("macro_f1").asDouble()).isBetween(0.0, 1.0);
        assertThat(first.get("missing").has("acc")).isTrue();
        assertThat(first.get("missing").has("gyro")).isTrue();
        assertThat(first.get("train_labelled_windows").asInt()).isEqualTo(8); // a quarter of 32, 2 per class
        assertThat(first.get("validation_macro_f1").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("summary").get(0).has("validation_macro_f1_mean")).isTrue();
        assertThat(json.get("summary")).hasSize(5 * 2);
        java.util.Set<String> arms = new java.util.HashSet<>();
        json.get("records").forEach(n -> arms.add(n.get("arm").asText()));
        assertThat(arms).containsExactlyInAnyOrder("crossl-probe", "crossl-finetune", "supervised", "crossl-random-mask", "simclr");
        assertThat(Files.readString(out.resolve("results.md"))).contains("| crossl-probe |", "Missing modalities", "| arm | 0.25 | 1.0 |");
        for (String png : List.of("pretraining.png", "macro_f1_vs_label_fraction.png", "missing_devices.png", "confusion.png")) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).as(png).isGreaterThan(300);
        }
        assertThat(run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString()).err())
                .contains("exists; use --force");

        // an interrupted run: results.json never written, the last two records lost, the SimCLR pretraining cut before its key
        Files.delete(out.resolve("results.json"));
        Path jsonl = out.resolve("progress/records.jsonl");
        List<String> lines = Files.readAllLines(jsonl);
        Files.write(jsonl, lines.subList(0, lines.size() - 2));
        Files.writeString(jsonl, lines.get(lines.size() - 2).substring(0, 40), java.nio.file.StandardOpenOption.APPEND); // a line cut mid-append
        try (var dirs = Files.list(out.resolve("progress/pretrained"))) {
            Path simclr = dirs.filter(d -> d.getFileName().toString().startsWith("simclr-seed0-")).findFirst().orElseThrow();
            Files.delete(simclr.resolve("key.txt"));
        }
        Result again = run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(),
                "--set", "evaluation={seeds: [0], labelFractions: [0.25, 1.0], headEpochs: 3}", "--set", "training.epochs=3");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("pretraining crossl reused", "pretraining random-mask reused", "seed 0: pretraining simclr {")
                .doesNotContain("pretraining simclr reused");
        assertThat(again.out().split("\\(reused\\)", -1)).hasSize(8 + 1); // 10 records, 2 recomputed
        var resumed = org.crossl.core.config.Json.JSON.readTree(out.resolve("results.json").toFile());
        for (int i = 0; i < 8; i++) {
            assertThat(resumed.get("records").get(i)).isEqualTo(json.get("records").get(i));
        }
        // other arms and fractions, same pretraining and head settings: everything is reused; keys
        // are the resolved config, so restating a value the config already has changes nothing
        Files.delete(out.resolve("results.json"));
        Result fewer = run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(),
                "--set", "evaluation={seeds: [0], labelFractions: [0.25], headEpochs: 3, arms: [crossl-probe]}", "--set", "training.epochs=3",
                "--set", "training.minDelta=0.0"); // the default, not written in the preset
        assertThat(fewer.code()).as(fewer.err()).isZero();
        assertThat(fewer.out()).contains("pretraining crossl reused", "crossl-probe       macro-F1").contains("(reused)");
        // another config is never served from the progress of this one
        Files.delete(out.resolve("results.json"));
        Result other = run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(),
                "--set", "evaluation={seeds: [0], labelFractions: [0.25], headEpochs: 3, arms: [crossl-probe]}", "--set", "training.epochs=2");
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.out()).doesNotContain("reused");
    }

    @Test
    void customArmsFromTheConfigShareOnePretrainingAndRunBesideTheBuiltIns(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path out = tmp.resolve("arms");
        Result r = run("evaluate", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(),
                "--set", "training.epochs=2", "--set", "projector.layers=[16, 16]",
                "--set", "evaluation={seeds: [0], labelFractions: [1.0], headEpochs: 2, arms: [crossl-probe, supervised, "
                        + "{name: crossl-both-mlp, role: crossl, pretrain: {}, head: probe, features: both, classifier: mlp}, "
                        + "{name: crossl-gentle, role: crossl, head: finetune, backboneLearningRateScale: 0.1, probeEpochs: 1}, "
                        + "{name: barlow, role: contrastive, pretrain: {objective: {type: barlow}}, head: probe}]}");
        assertThat(r.code()).as(r.err()).isZero();
        // three CroSSL arms, one pretraining; Barlow its own
        assertThat(r.out().split("seed 0: pretraining crossl", -1)).hasSize(2);
        assertThat(r.out()).contains("seed 0: pretraining barlow {\"objective\":{\"type\":\"barlow\"}}");
        var json = Json.JSON.readTree(out.resolve("results.json").toFile());
        java.util.Set<String> arms = new java.util.HashSet<>();
        json.get("records").forEach(n -> arms.add(n.get("arm").asText()));
        assertThat(arms).containsExactlyInAnyOrder("crossl-probe", "supervised", "crossl-both-mlp", "crossl-gentle", "barlow");
        assertThat(json.get("arms").get(4).get("role").asText()).isEqualTo("contrastive");
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| barlow | contrastive | {\"objective\":{\"type\":\"barlow\"}} | probe | global | linear |",
                "| crossl-both-mlp | crossl | the config | probe | both | mlp |", "| crossl-gentle | crossl | the config | finetune | global | linear | 0.001 | 0.1 | 1 |",
                "The CroSSL probe matches or beats the contrastive (SimCLR) probe (crossl-probe against barlow)",
                "## Validation macro-F1");
        // the projector is part of the pretrained model; heads read Z before it
        try (var dirs = Files.list(out.resolve("progress/pretrained"))) {
            Path crossl = dirs.filter(d -> d.getFileName().toString().startsWith("crossl-seed0-")).findFirst().orElseThrow();
            assertThat(Files.readString(crossl.resolve("model.json"))).contains("projector.dense1.weight");
        }
        assertThat(run("evaluate", "--preset", "basicmotions", "--out", tmp.resolve("bad").toString(), "--data-root", dataRoot().toString(),
                "--set", "evaluation={arms: [{name: x, head: probe, pretrain: {masker.kind: random}}]}").err())
                .contains("evaluation.arms: arm 'x': pretrain", "masker.kind");
    }

    @Test
    void transformerAndTcnMixAcrossModalitiesWithAttentionAndBarlow(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path out = tmp.resolve("mixed");
        Result r = run("pretrain", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(), "--quiet", "--no-probe",
                "--set", "encoders.acc={type: transformer, patchLength: 4}", "--set", "aggregator={type: attention}",
                "--set", "objective={type: barlow}", "--set", "training.epochs=3");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode model = Json.JSON.readTree(out.resolve("model/model.json").toFile());
        assertThat(model.at("/config/encoders/acc/type").asText()).isEqualTo("transformer");
        assertThat(model.at("/config/encoders/gyro/type").asText()).isEqualTo("tcn");
        assertThat(model.at("/config/aggregator/type").asText()).isEqualTo("attention");
        assertThat(model.at("/config/objective/type").asText()).isEqualTo("barlow");
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).contains("invariance", "redundancy");
        // the example config for hugadb-right6 mixes them the same way and assembles for its six modalities
        var cfg = org.crossl.core.config.ExperimentConfig.load(Path.of(System.getProperty("user.dir")).resolve("../examples/configs/hugadb-right6-mixed.yaml"));
        List<org.crossl.api.data.ModalitySpec> mods = new ArrayList<>();
        for (String dev : List.of("rf", "rs", "rt")) {
            for (String s : List.of("acc", "gyro")) {
                mods.add(new org.crossl.api.data.ModalitySpec(dev + "_" + s, List.of("x", "y", "z"), 58.8, dev));
            }
        }
        var a = org.crossl.core.Crossl.assembler().assemble(cfg, mods, null);
        assertThat(org.crossl.core.config.Json.tree(a.resolvedConfig()).at("/encoders/rf_gyro/type").asText()).isEqualTo("transformer");
        assertThat(org.crossl.core.config.Json.tree(a.resolvedConfig()).at("/encoders/rf_acc/type").asText()).isEqualTo("tcn");
        assertThat(a.model().codeSize()).isEqualTo(96);
    }

    @Test
    void dataSummarisesEverySplitAndTheSecondLoadComesFromTheCache(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        String[] args = {"data", "--preset", "basicmotions", "--data-root", dataRoot().toString(), "--cache-dir", tmp.resolve("cache").toString(),
            "--label-fraction", "0.25,1", "--json", tmp.resolve("summary.json").toString()};
        Result first = run(args);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("cache built", "acc", "gyro", "10.00 Hz, 100 samples")
                .containsPattern("windows\\s+32\\s+8\\s+40")
                .containsPattern("Standing\\s+8\\s+2\\s+10")
                .containsPattern("Standing\\s+2\\s+8"); // a quarter of the 8 training windows, then all
        Result second = run(args);
        assertThat(second.out()).contains("cache hit");
        var json = org.crossl.core.config.Json.JSON.readTree(tmp.resolve("summary.json").toFile());
        assertThat(json.at("/summary/splits/test/windows").asInt()).isEqualTo(40);
        assertThat(json.at("/description/cache/status").asText()).isEqualTo("hit");
        assertThat(json.at("/resolvedData/type").asText()).isEqualTo("uea"); // the resolved section itself, not a bean of it
        Result off = run("data", "--preset", "basicmotions", "--data-root", dataRoot().toString(), "--no-cache");
        assertThat(off.out()).contains("cache off");
    }

    @Test
    void pretrainOnBasicMotionsLearnsWithoutCollapseAndTheModelEmbeds(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path out = tmp.resolve("run");
        Result r = run("pretrain", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();

        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertThat(header).startsWith("epoch", "train_loss", "val_loss").contains("invariance", "variance", "covariance", "z_std");
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            rows.add(new double[]{Double.parseDouble(f[header.indexOf("train_loss")]), Double.parseDouble(f[header.indexOf("val_loss")]),
                    Double.parseDouble(f[header.indexOf("z_std")]), Double.parseDouble(f[header.indexOf("z_std_min")])});
        }
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        double firstTrain = rows.get(0)[0];
        double lastTrain = rows.get(rows.size() - 1)[0];
        double bestVal = rows.stream().mapToDouble(x -> x[1]).min().orElseThrow();
        // The loss falls: clearly lower training loss at the end, and validation improves on epoch 1.
        assertThat(lastTrain).isLessThan(0.8 * firstTrain);
        assertThat(bestVal).isLessThan(rows.get(0)[1]);
        // No collapse: Z keeps spread over windows in every dimension, and more than at the start.
        double[] last = rows.get(rows.size() - 1);
        assertThat(last[2]).as("mean per-dimension std of Z").isGreaterThan(0.1).isGreaterThan(rows.get(0)[2]);
        assertThat(last[3]).as("smallest per-dimension std of Z").isGreaterThan(0.01);

        JsonNode runJson = Json.JSON.readTree(out.resolve("run.json").toFile());
        assertThat(runJson.path("status").asText()).isEqualTo("finished");
        assertThat(runJson.at("/config/encoders/acc/codeSize").asInt()).isEqualTo(96);
        assertThat(runJson.at("/environment/java").asText()).isNotEmpty();
        assertThat(runJson.at("/environment/nd4jBackend").asText()).isNotEmpty();
        assertThat(runJson.at("/data/reader").isMissingNode()).isFalse();
        assertThat(Files.exists(out.resolve("model/model.json"))).isTrue();
        assertThat(Files.exists(out.resolve("config.yaml"))).isTrue();

        Path csv = tmp.resolve("z.csv");
        Result e = run("embed", "--model", out.toString(), "--config", out.resolve("config.yaml").toString(), "--out", csv.toString(),
                "--data-root", dataRoot().toString());
        assertThat(e.code()).as(e.err()).isZero();
        List<String> z = Files.readAllLines(csv);
        assertThat(z).hasSize(1 + 80);
        assertThat(z.get(0)).startsWith("split,index,subject,label,z0,").endsWith(",z31");
        assertThat(z.get(1).split(",")).hasSize(4 + 32);

        // finetune a probe on the pretrained model, then predict with a modality absent
        Path clf = tmp.resolve("classifier");
        String config = out.resolve("config.yaml").toString();
        Result f = run("finetune", "--model", out.toString(), "--config", config, "--out", clf.toString(), "--data-root", dataRoot().toString(),
                "--head", "probe");
        assertThat(f.code()).as(f.err()).isZero();
        assertThat(f.out()).contains("validation macro-F1", "test macro-F1");
        assertThat(clf.resolve("classifier.json")).exists();
        assertThat(clf.resolve("model.json")).exists();
        JsonNode clfRun = Json.JSON.readTree(clf.resolve("run.json").toFile());
        assertThat(clfRun.at("/test/macroF1").asDouble()).isBetween(0.0, 1.0);
        assertThat(clfRun.at("/environment/java").asText()).isNotEmpty();
        Path pred = tmp.resolve("predictions.csv");
        Result p = run("predict", "--model", clf.toString(), "--config", config, "--out", pred.toString(), "--data-root", dataRoot().toString(),
                "--split", "test", "--without", "gyro");
        assertThat(p.code()).as(p.err()).isZero();
        List<String> rowsOut = Files.readAllLines(pred);
        List<String> classes = new ArrayList<>();
        Json.JSON.readTree(clf.resolve("classifier.json").toFile()).path("classes").forEach(c -> classes.add(c.asText()));
        assertThat(rowsOut.get(0)).startsWith("split,index,subject,label,predicted,p_" + classes.get(0));
        assertThat(rowsOut).hasSizeGreaterThan(1);
        for (String row : rowsOut.subList(1, rowsOut.size())) {
            String[] c = row.split(",", -1);
            assertThat(c[0]).isEqualTo("test");
            assertThat(classes).contains(c[4]);
            double sum = 0;
            for (int k = 5; k < c.length; k++) {
                sum += Double.parseDouble(c[k]);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        }
        assertThat(p.out()).contains("absent: gyro");
        Result bad = run("predict", "--model", out.toString(), "--config", config, "--out", pred.toString(), "--data-root", dataRoot().toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("no classifier at", "crossl finetune");
        Result badHead = run("finetune", "--model", out.toString(), "--config", config, "--out", clf.toString(), "--head", "lasso", "--force");
        assertThat(badHead.code()).isEqualTo(2);
        assertThat(badHead.err()).contains("--head must be 'probe' or 'finetune'");

        // A second run into the same directory is refused rather than overwriting results.
        Result again = run("pretrain", "--preset", "basicmotions", "--out", out.toString(), "--data-root", dataRoot().toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a run", "--force");
    }

    @Test
    void userErrorsAreOneClearMessage(@TempDir Path tmp) throws Exception {
        Result missing = run("pretrain", "--preset", "basicmotions", "--out", tmp.resolve("a").toString(), "--data-root", tmp.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist", "--data-root", "CROSSL_DATA").doesNotContain("\tat ");

        Result preset = run("pretrain", "--preset", "nosuch", "--out", tmp.resolve("b").toString());
        assertThat(preset.code()).isEqualTo(2);
        assertThat(preset.err()).contains("no built-in preset 'nosuch'", "basicmotions", "hugadb-right6");

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "name: x\ndata: {type: uea, path: uea/BasicMotions}\nencoders: {default: {type: tcnn}}\n"
                + "masker: {type: spatial}\naggregator: {type: mlp}\nobjective: {type: vicreg}\n");
        Result unknown = run("pretrain", "--config", bad.toString(), "--out", tmp.resolve("c").toString(), "--data-root", dataRoot().toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("bad.yaml: encoders.default.type: unknown encoder 'tcnn'; known encoders: tcn");
    }
}
