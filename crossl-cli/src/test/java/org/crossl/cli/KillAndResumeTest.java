package org.crossl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.crossl.core.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of an epoch, then {@code crossl pretrain --resume}: the resumed run
 * ends with the same weights and the same per-epoch metrics as an uninterrupted one.
 */
class KillAndResumeTest {
    static final String[] SETTINGS = {"--set", "training.epochs=12", "--set", "training.patience=100", "--set", "training.checkpointEverySteps=3",
        "--quiet", "--no-probe", "--no-cache"};

    static List<String> args(String... first) {
        List<String> a = new ArrayList<>(List.of(first));
        a.addAll(List.of(SETTINGS));
        a.addAll(List.of("--data-root", CliEndToEndTest.dataRoot().toString()));
        return a;
    }

    static long newestStep(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("checkpoint-step\\d+"))
                    .mapToLong(n -> Long.parseLong(n.substring("checkpoint-step".length()))).max().orElse(-1);
        }
    }

    @Test
    void aRunKilledWithSigkillMidEpochResumesToTheSameWeightsAndMetrics(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(CliEndToEndTest.dataRoot().resolve("uea/BasicMotions")), "BasicMotions data not available");
        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the same kernels as the resumed and uninterrupted runs in this JVM: the vector and scalar
                // LayerNorm kernels round differently, so mixing them would not be byte-identical
                "--add-modules", "jdk.incubator.vector",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"), "org.crossl.cli.Main"));
        cmd.addAll(args("pretrain", "--preset", "basicmotions", "--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        // 4 steps per epoch (32 windows, batch 8): a checkpoint every 3 steps lands mid-epoch two times in three
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (newestStep(killed) < 14 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(p.isAlive()).as("the run was still training when killed; log: %s", Files.exists(tmp.resolve("killed.log"))
                ? Files.readString(tmp.resolve("killed.log")) : "").isTrue();
        // one writer per run directory: while it trains, nothing else may write it
        String[][] intruders = {{"pretrain", "--resume", killed.toString()},
            {"pretrain", "--preset", "basicmotions", "--out", killed.toString(), "--force"},
            {"evaluate", "--preset", "basicmotions", "--out", killed.toString()}};
        for (String[] intruder : intruders) {
            List<String> a = new ArrayList<>(List.of(intruder));
            a.addAll(List.of("--data-root", CliEndToEndTest.dataRoot().toString()));
            CliEndToEndTest.Result r = CliEndToEndTest.run(a.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", intruder) + ": " + r.err()).isEqualTo(3);
            assertThat(r.err()).contains("the directory " + killed.toAbsolutePath() + " is in use by another crossl command (pid " + p.pid());
        }
        assertThat(p.isAlive()).isTrue();
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        p.waitFor();
        JsonNode run = Json.JSON.readTree(killed.resolve("run.json").toFile());
        assertThat(run.get("status").asText()).isEqualTo("running");
        assertThat(killed.resolve("model")).doesNotExist();

        CliEndToEndTest.Result resumed = CliEndToEndTest.run(new String[]{"pretrain", "--resume", killed.toString(), "--quiet", "--no-probe",
            "--no-cache", "--data-root", CliEndToEndTest.dataRoot().toString()});
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from " + killed.resolve("checkpoint-step"));

        Path whole = tmp.resolve("whole");
        CliEndToEndTest.Result uninterrupted = CliEndToEndTest.run(args("pretrain", "--preset", "basicmotions", "--out", whole.toString())
                .toArray(String[]::new));
        assertThat(uninterrupted.code()).as(uninterrupted.err()).isZero();

        assertThat(Files.readAllBytes(killed.resolve("model/parameters.bin"))).isEqualTo(Files.readAllBytes(whole.resolve("model/parameters.bin")));
        assertThat(withoutSeconds(killed.resolve("metrics.csv"))).isEqualTo(withoutSeconds(whole.resolve("metrics.csv"))).hasSize(13);
        JsonNode after = Json.JSON.readTree(killed.resolve("run.json").toFile());
        assertThat(after.get("status").asText()).isEqualTo("finished");
        assertThat(after.get("resumed")).hasSize(1);
        assertThat(newestStep(killed)).isEqualTo(48);
        assertThat(killed.resolve("checkpoint-best/state.json")).exists();

        CliEndToEndTest.Result again = CliEndToEndTest.run("pretrain", "--resume", killed.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("has finished", "nothing to resume");
    }

    /** metrics.csv without its wall-time column. */
    static List<String> withoutSeconds(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",")).indexOf("seconds");
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(col);
            out.add(String.join(",", cells));
        }
        return out;
    }

    @Test
    void resumeAndOutputMistakesAreReportedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        CliEndToEndTest.Result none = CliEndToEndTest.run("pretrain", "--resume", tmp.resolve("nothing").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("nothing to resume", "no run.json");
        CliEndToEndTest.Result both = CliEndToEndTest.run("pretrain", "--resume", tmp.toString(), "--preset", "basicmotions");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--resume continues with the run's own config");
        CliEndToEndTest.Result noOut = CliEndToEndTest.run("pretrain", "--preset", "basicmotions");
        assertThat(noOut.err()).contains("give --out DIR for a new run, or --resume DIR");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliEndToEndTest.Result unwritable = CliEndToEndTest.run("pretrain", "--preset", "basicmotions", "--out", file.resolve("run").toString(),
                "--data-root", CliEndToEndTest.dataRoot().toString());
        assertThat(unwritable.code()).isEqualTo(2);
        assertThat(unwritable.err()).contains("cannot write to the output directory " + file.resolve("run"));
    }
}
