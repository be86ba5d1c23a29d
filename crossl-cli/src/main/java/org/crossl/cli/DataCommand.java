package org.crossl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.core.Crossl;
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
        ModelAssembler assembler = Crossl.assembler().withCache(data.cache());
        var out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        ModelAssembler.LoadedData loaded = assembler.loadData(cfg, data.root().requireExists().path());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> summary = DataSummary.of(loaded.splits());
        Map<String, Object> description = loaded.splits().description();
        out.printf(Locale.ROOT, "config: %s, data: %s (%s), data root: %s%n", cfg.source(), cfg.data().get("type").asText(),
                description.getOrDefault("path", "?"), data.root().path());
        out.printf(Locale.ROOT, "loaded in %.2f s (%s)%n%n", seconds, cacheLine(description.get("cache")));
        out.print(DataSummary.text(summary));
        if (json != null) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("config", cfg.source());
            all.put("loadSeconds", seconds);
            all.put("summary", summary);
            all.put("description", description);
            all.put("resolvedData", loaded.resolvedSection());
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
