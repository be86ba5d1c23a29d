package org.crossl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.Crossl;
import org.crossl.core.bench.ThroughputBench;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.model.ModelAssembler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crossl bench}: training and embedding throughput on random data, printed like the PyTorch peer. */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Training and embedding throughput of a model on random data, measured like ../shared/bench/torch_peer.py "
                + "(warm-up, then medians); prints train_samples_per_s=…, infer_samples_per_s=…, max_rss_mb=…. "
                + "Without --config: the reference model at the peer's shapes (6 modalities x [512, 3]).")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE|PRESET",
            description = "bench this config's model on random windows shaped like its data (modalities, channels, lengths)")
    String config;

    @Option(names = "--data-root", paramLabel = "DIR", description = "with --config: where its data is")
    String dataRoot;

    @Option(names = "--batch", defaultValue = "64", description = "training batch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--infer-batch", defaultValue = "256", description = "embedding batch size, 0 to skip (default ${DEFAULT-VALUE})")
    int inferBatch;

    @Option(names = "--length", defaultValue = "512", description = "samples per window without --config (default ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--modalities", defaultValue = "6", description = "modalities without --config (default ${DEFAULT-VALUE})")
    int modalities;

    @Option(names = "--channels", defaultValue = "3", description = "channels per modality without --config (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--steps", defaultValue = "20", description = "timed training steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed training steps first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "also write every timing as JSON")
    Path json;

    @Option(names = "--profile", description = "time the sections of a training step (convolutions, fused layers, aggregator…)")
    boolean profile;

    @Option(names = "--soak", paramLabel = "STEPS", description = "instead of timing: train this many steps and read resident memory "
            + "every --soak-every steps; it must stay flat after warm-up")
    int soak;

    @Option(names = "--soak-every", paramLabel = "N", defaultValue = "50", description = "with --soak: read memory every N steps (default ${DEFAULT-VALUE})")
    int soakEvery;

    @Option(names = {"-v", "--verbose"}, description = "print every step's time")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (batch < 2 || steps < 1 || warmup < 0 || inferBatch < 0 || length < 1 || modalities < 1 || channels < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batch must be at least 2, --steps at least 1, the others non-negative/positive");
        }
        ModelAssembler assembler = Crossl.assembler();
        ExperimentConfig cfg;
        List<ModalitySpec> mods;
        int[] lengths;
        if (config == null) {
            cfg = ThroughputBench.referenceConfig();
            mods = ThroughputBench.modalities(modalities, channels);
            lengths = new int[modalities];
            java.util.Arrays.fill(lengths, length);
        } else {
            DataOptions d = new DataOptions();
            d.config = config;
            d.dataRoot = dataRoot;
            cfg = d.load();
            WindowDataset train = assembler.withCache(d.cache()).loadData(cfg, d.root().requireExists().path()).splits().train();
            mods = train.modalities();
            lengths = new int[mods.size()];
            for (int m = 0; m < lengths.length; m++) {
                lengths[m] = train.length(m);
            }
        }
        if (soak > 0) {
            if (soakEvery < 1 || soak < Math.max(4L * soakEvery, soak / 10) + 2L * soakEvery) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--soak must cover the warm-up (the larger of 4 × --soak-every "
                        + "and a tenth of the run) and at least two readings after it: with --soak-every " + soakEvery + ", at least "
                        + (6L * soakEvery) + " steps");
            }
            out.printf(Locale.ROOT, "soak: model %s; %d modalities, lengths %s; batch %d; %d steps, memory every %d%n", cfg.source(), mods.size(),
                    java.util.Arrays.toString(lengths), batch, soak, soakEvery);
            out.flush();
            ThroughputBench.Soak r = ThroughputBench.soak(assembler, cfg, mods, lengths, batch, soak, soakEvery, line -> {
                out.println(line);
                out.flush();
            });
            if (r.rssEndMb() < 0) {
                out.println("resident memory cannot be read here (no /proc/self/status): no verdict");
                return 2;
            }
            out.printf(Locale.ROOT, "resident memory after warm-up (step %d): %d MB; at the end (step %d): %d MB; change %+d MB (%+.1f%%): %s; peak %d MB%n",
                    r.warmupStep(), r.rssAfterWarmupMb(), soak, r.rssEndMb(), r.growthMb(), 100.0 * r.growthMb() / Math.max(1, r.rssAfterWarmupMb()),
                    r.flat() ? "flat" : "GROWING", r.peakRssMb());
            if (json != null) {
                if (json.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(json.toAbsolutePath().getParent());
                }
                Json.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), r);
            }
            out.flush();
            return r.flat() ? 0 : 1;
        }
        ThroughputBench.Settings s = new ThroughputBench.Settings(mods.size(), mods.get(0).channels(), lengths[0], batch, inferBatch,
                warmup, steps, profile);
        out.printf(Locale.ROOT, "model: %s; %d modalities, lengths %s; train batch %d (%d warm-up + %d timed steps), embed batch %d%n",
                cfg.source(), mods.size(), java.util.Arrays.toString(lengths), batch, warmup, steps, inferBatch);
        out.flush();
        ThroughputBench.Result r = ThroughputBench.run(assembler, cfg, mods, lengths, s, verbose ? line -> {
            out.println(line);
            out.flush();
        } : null);
        out.printf(Locale.ROOT, "%s; %d parameters%n", r.threads(), r.parameters());
        if (!r.trainProfile().isEmpty()) {
            out.println("profile of a training step (seconds per step; sections nest, \"step:\" ones add up to the total):");
            r.trainProfile().forEach((k, v) -> out.printf(Locale.ROOT, "  %-72s %8.4f%n", k, v));
        }
        out.print(r.peerLines());
        if (json != null) {
            Map<String, Object> m = ThroughputBench.describe(r, s);
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            Json.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), m);
        }
        out.flush();
        return 0;
    }
}
