package org.crossl.cli;

import com.google.inject.Injector;
import org.crossl.core.Crossl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.data.DataRoot;
import org.crossl.core.data.DatasetCache;
import picocli.CommandLine.Option;

/** Options shared by commands that read a config and data. */
final class DataOptions {
    static final List<String> PRESETS = List.of("quickstart", "basicmotions", "hugadb-right6", "hugadb-full", "hapt");

    @Option(names = "--config", paramLabel = "FILE",
            description = "experiment config (YAML or JSON), or the name of a built-in preset: ${COMPLETION-CANDIDATES}",
            completionCandidates = PresetNames.class)
    String config;

    @Option(names = "--preset", paramLabel = "NAME", description = "a built-in preset (basicmotions, hugadb-right6, hugadb-full, hapt)")
    String preset;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "where the datasets are (default: $CROSSL_DATA, else ../shared/data)")
    String dataRoot;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one config value, e.g. --set masker.ratio=0.3 --set training.epochs=5 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "where windowed datasets are cached (default: $CROSSL_CACHE, else ~/.cache/crossl/windows)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "read and window the data afresh; neither use nor write the cache")
    boolean noCache;

    static final class PresetNames extends ArrayList<String> {
        PresetNames() {
            super(PRESETS);
        }
    }

    ExperimentConfig load() {
        ExperimentConfig cfg;
        if (config != null && preset != null) {
            throw new ConfigError("give either --config or --preset, not both");
        }
        if (config == null && preset == null) {
            throw new ConfigError("give --config FILE or --preset NAME (presets: " + String.join(", ", PRESETS) + ")");
        }
        String name = preset != null ? preset : config;
        Path file = Path.of(name);
        if (preset == null && Files.exists(file)) {
            cfg = ExperimentConfig.load(file);
        } else {
            String resource = "/presets/" + name.replaceAll("\\.ya?ml$", "") + ".yaml";
            try (InputStream in = DataOptions.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ConfigError((preset != null ? "no built-in preset '" + name + "'" : "config file not found: " + file.toAbsolutePath())
                            + "; built-in presets: " + String.join(", ", PRESETS));
                }
                cfg = ExperimentConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "preset " + name, true);
            } catch (IOException e) {
                throw new ConfigError("cannot read preset " + name + ": " + e.getMessage(), e);
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("--set needs KEY=VALUE, got '" + o + "'");
            }
            cfg = cfg.with(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return cfg;
    }

    private Injector injector;

    /** This command's one injector: the discovered plugins and the library's services, caching in {@link #cache()}. */
    Injector injector() {
        if (injector == null) {
            injector = Crossl.injector(Crossl.cacheAt(cache()));
        }
        return injector;
    }

    /** An assembler, run or other service from {@link #injector()}. */
    <T> T get(Class<T> type) {
        return injector().getInstance(type);
    }

    DatasetCache cache() {
        if (noCache) {
            return DatasetCache.at(null);
        }
        return cacheDir != null ? DatasetCache.at(cacheDir.toAbsolutePath().normalize()) : DatasetCache.fromEnvironment();
    }

    DataRoot root() {
        return DataRoot.resolve(dataRoot);
    }
}
