package org.crossl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.api.data.LabelFractions;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.Crossl;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.crossl.core.data.DataSummary;
import org.crossl.core.model.ModelAssembler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crossl data --config FILE}: what the config's data section loads, split by split. */
@Command(name = "data", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Load the config's data and print a summary: modalities (channels, rates), subjects, windows "
                + "(labelled, unlabelled) and windows per class for each split, and absent-modality counts.")
final class DataCommand implements Callable<Integer> {
    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary and the reader's description as JSON")
    Path json;

    @Option(names = "--label-fraction", paramLabel = "F", split = ",",
            description = "also show the labelled training windows per class that a label fraction F in (0, 1] draws "
                    + "(stratified by class, at least one per class, the config's seed), e.g. 0.01,0.05,0.1")
    List<Double> labelFractions = new ArrayList<>();

    @Option(names = "--export", arity = "2", paramLabel = "FORMAT DIR", description = "instead of the summary, write every window "
            + "(all splits, raw, with presence, label and subject) as FORMAT under DIR: parquet (crossl-spark, through Spark; the "
            + "executors read the data, DIR may be any Hadoop file system URI)")
    List<String> export;

    @Option(names = "--force", description = "with --export: replace what DIR holds")
    boolean force;

    @Option(names = "--master", paramLabel = "URL", description = "with --export parquet: the Spark master (default local[*])")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** "cache hit: DIR", "cache built: DIR", "cache off: why". */
    static String cacheLine(Object cache) {
        if (!(cache instanceof Map<?, ?> c)) {
            return "not cached";
        }
        Object status = c.get("status");
        return "cache " + status + ": " + ("off".equals(status) ? c.get("reason") : c.get("dir"));
    }

    @Override
    public Integer call() throws Exception {
        ExperimentConfig cfg = data.load();
        ModelAssembler assembler = data.get(ModelAssembler.class);
        var out = spec.commandLine().getOut();
        if (export != null) {
            org.crossl.core.data.WindowExporter exporter = org.crossl.core.data.WindowExporter.named(export.get(0));
            out.println(exporter.export(cfg, assembler, data.root().requireExists().path(), export.get(1), force,
                    master == null ? Map.of() : Map.of("master", master)));
            return 0;
        }
        if (master != null || force) {
            throw new ConfigError((master != null ? "--master" : "--force") + " is an option of --export");
        }
        long t0 = System.nanoTime();
        ModelAssembler.LoadedData loaded = assembler.loadData(cfg, data.root().requireExists().path());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> summary = DataSummary.of(loaded.splits());
        Map<String, Object> description = loaded.splits().description();
        out.printf(Locale.ROOT, "config: %s, data: %s (%s), data root: %s%n", cfg.source(), cfg.data().type(),
                description.getOrDefault("path", "?"), data.root().path());
        out.printf(Locale.ROOT, "loaded in %.2f s (%s)%n%n", seconds, cacheLine(description.get("cache")));
        out.print(DataSummary.text(summary));
        if (!labelFractions.isEmpty()) {
            WindowDataset train = loaded.splits().train();
            int[] labels = train.labels();
            out.printf(Locale.ROOT, "%nlabelled training windows drawn per label fraction (seed %d):%n%-26s", cfg.seed(), "class");
            for (double f : labelFractions) {
                out.printf(Locale.ROOT, "%12s", f);
            }
            out.println();
            List<int[]> drawn = new ArrayList<>();
            for (double f : labelFractions) {
                if (!(f > 0 && f <= 1)) {
                    throw new ConfigError("--label-fraction must be in (0, 1], got " + f);
                }
                int[] perClass = new int[train.classNames().size()];
                for (int i : LabelFractions.draw(labels, f, cfg.seed())) {
                    perClass[labels[i]]++;
                }
                drawn.add(perClass);
            }
            for (int c = 0; c < train.classNames().size(); c++) {
                String name = train.classNames().get(c);
                out.printf(Locale.ROOT, "%-26s", name.length() > 25 ? name.substring(0, 24) + "…" : name);
                for (int[] perClass : drawn) {
                    out.printf(Locale.ROOT, "%12d", perClass[c]);
                }
                out.println();
            }
        }
        if (json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("config", cfg.source());
            all.put("loadSeconds", seconds);
            all.put("summary", summary);
            all.put("description", description);
            all.put("resolvedData", org.crossl.core.config.Json.tree(loaded.resolvedSection()));
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            Json.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), all);
            out.println("\nwrote " + json);
        }
        out.flush();
        return 0;
    }
}
