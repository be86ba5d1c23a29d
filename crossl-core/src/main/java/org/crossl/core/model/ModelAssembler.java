package org.crossl.core.model;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.api.Aggregator;
import org.crossl.api.Encoder;
import org.crossl.api.Masker;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.spi.AggregatorProvider;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.MaskerProvider;
import org.crossl.api.spi.ObjectiveProvider;
import org.crossl.api.spi.Provider;
import org.crossl.core.Seeds;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.ResolvedConfigBuilder;
import org.crossl.core.config.Section;
import org.crossl.core.data.DatasetCache;
import org.crossl.core.registry.ComponentKind;
import org.crossl.core.registry.PluginRegistry;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Turns an {@link ExperimentConfig} into components: looks each {@code type} up in the
 * {@link PluginRegistry}, binds its section to the provider's config type and calls the provider.
 * Also produces the resolved config (every section with its defaults filled), which is what
 * {@code run.json} and saved models record.
 */
public final class ModelAssembler {
    /** The type models are built in unless {@link #withDataType} says otherwise. */
    public static final DataType DEFAULT_DATA_TYPE = DataType.FLOAT;

    private final PluginRegistry registry;
    private final DatasetCache cache;
    private final DataType dataType;

    /** Over {@code registry}, caching windows where {@link DatasetCache#fromEnvironment()} says. */
    public ModelAssembler(PluginRegistry registry) {
        this(registry, DatasetCache.fromEnvironment());
    }

    @Inject
    public ModelAssembler(PluginRegistry registry, DatasetCache cache) {
        this(registry, cache, DEFAULT_DATA_TYPE);
    }

    private ModelAssembler(PluginRegistry registry, DatasetCache cache, DataType dataType) {
        this.registry = registry;
        this.cache = cache;
        this.dataType = dataType;
    }

    /** The same plugins, caching windowed datasets in {@code cache} (a new assembler; this one is unchanged). */
    public ModelAssembler withCache(DatasetCache cache) {
        return new ModelAssembler(registry, cache, dataType);
    }

    /**
     * The same plugins, building models in {@code type}: {@code FLOAT} (the default) for training,
     * {@code DOUBLE} for gradient checks of a whole model. Providers receive the type; ND4J's global
     * default is never read or set.
     */
    public ModelAssembler withDataType(DataType type) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("models are built in FLOAT or DOUBLE, not " + type);
        }
        return new ModelAssembler(registry, cache, type);
    }

    public DataType dataType() {
        return dataType;
    }

    public DatasetCache cache() {
        return cache;
    }

    public PluginRegistry registry() {
        return registry;
    }

    /** Everything a pretraining run needs, plus the resolved config. */
    public record Assembled(CrosslModel model, Masker masker, SSLObjective objective, ExperimentConfig resolvedConfig) {
    }

    /** Data loaded by the config's dataset provider, and the provider's resolved section. */
    public record LoadedData(DataSplits splits, Section resolvedSection) {
    }

    public LoadedData loadData(ExperimentConfig config, Path dataRoot) {
        Section section = config.data();
        String type = section.type();
        DatasetProvider<Object> p = registry.get(ComponentKind.DATASET, type, config.source() + ": data.type");
        Object bound = section.bind(p.configType(), config.source());
        Section resolved = Section.of("data", type, bound);
        DataSplits splits;
        try {
            splits = cache.load(type, resolved, config.seed(), p.source(bound, dataRoot), () -> p.load(bound, dataRoot, config.seed()));
        } catch (ConfigException e) {
            throw new ConfigError(config.source() + ": data." + e.key() + ": " + e.reason(), e);
        }
        return new LoadedData(splits, resolved);
    }

    /**
     * Builds model, masker and objective for data with {@code modalities}. Weights are initialised
     * from independent streams of the config's seed, one per component and modality.
     *
     * @param resolvedData the data section as its provider resolved it ({@link LoadedData#resolvedSection()}),
     *                     or null to record it as written
     */
    public Assembled assemble(ExperimentConfig config, List<ModalitySpec> modalities, Section resolvedData) {
        List<String> names = modalities.stream().map(ModalitySpec::name).toList();
        List<String> unknown = config.unknownEncoderKeys(names);
        if (!unknown.isEmpty()) {
            throw new ConfigError(config.source() + ": encoders." + unknown.get(0) + ": no such modality; the data has "
                    + names + " (use 'default' for all of them)");
        }
        long seed = config.seed();
        ResolvedConfigBuilder resolved = new ResolvedConfigBuilder(config);
        resolved.section("data", resolvedData != null ? resolvedData : config.data());
        List<Encoder> encoders = new ArrayList<>();
        for (ModalitySpec m : modalities) {
            Section section = config.encoderFor(m.name());
            String path = section.path();
            String type = section.type();
            EncoderProvider<Object> p = registry.get(ComponentKind.ENCODER, type,
                    config.source() + ": " + config.encoderPath(m.name(), "type") + ".type");
            Object bound = section.bind(p.configType(), config.source());
            encoders.add(create(config, path, () -> p.create(m, bound, dataType, Seeds.stream(seed, "init/encoder/" + m.name()))));
            resolved.encoder(m.name(), Section.of("encoders." + m.name(), type, bound));
        }
        int d = encoders.get(0).codeSize();
        for (Encoder e : encoders) {
            if (e.codeSize() != d) {
                throw new ConfigError(config.source() + ": encoders." + e.modality().name() + ": code size " + e.codeSize()
                        + " differs from " + d + " of encoders." + encoders.get(0).modality().name()
                        + "; the aggregator needs one code size for all modalities");
            }
        }

        Section aggSection = config.aggregator();
        String aggType = aggSection.type();
        AggregatorProvider<Object> ap = registry.get(ComponentKind.AGGREGATOR, aggType, config.source() + ": aggregator.type");
        Object aggCfg = aggSection.bind(ap.configType(), config.source());
        Aggregator aggregator = create(config, "aggregator", () -> ap.create(modalities, d, aggCfg, dataType, Seeds.stream(seed, "init/aggregator")));
        resolved.section("aggregator", Section.of("aggregator", aggType, aggCfg));

        Masker masker = simple(config, ComponentKind.MASKER, config.masker(), resolved,
                (MaskerProvider<Object> p, Object c) -> p.create(modalities, c));
        SSLObjective objective = simple(config, ComponentKind.OBJECTIVE, config.objective(), resolved,
                (ObjectiveProvider<Object> p, Object c) -> p.create(c));

        org.crossl.core.config.ProjectorConfig pc = config.projector();
        Projector projector = pc.enabled()
                ? new Projector(aggregator.outputSize(), pc, dataType, Seeds.stream(seed, "init/projector"))
                : null;
        resolved.record("projector", pc).record("optimizer", config.optimizer()).record("training", config.training());
        ExperimentConfig resolvedConfig = resolved.build();
        CrosslModel model = new CrosslModel(modalities, encoders, aggregator, projector, resolvedConfig);
        return new Assembled(model, masker, objective, resolvedConfig);
    }

    /** Looks up, binds and creates a component whose factory needs only its config. */
    private <P extends Provider<Object>, T> T simple(ExperimentConfig config, ComponentKind kind, Section section,
                                                     ResolvedConfigBuilder resolved, java.util.function.BiFunction<P, Object, T> factory) {
        String key = section.path();
        String type = section.type();
        P provider = registry.get(kind, type, config.source() + ": " + key + ".type");
        Object bound = section.bind(provider.configType(), config.source());
        T t = create(config, key, () -> factory.apply(provider, bound));
        resolved.section(key, Section.of(key, type, bound));
        return t;
    }

    private static <T> T create(ExperimentConfig config, String path, java.util.function.Supplier<T> factory) {
        try {
            T t = factory.get();
            if (t == null) {
                throw new ConfigError(config.source() + ": " + path + ": the provider returned nothing");
            }
            return t;
        } catch (ConfigException e) {
            throw new ConfigError(config.source() + ": " + path + "." + e.key() + ": " + e.reason(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(config.source() + ": " + path + ": " + e.getMessage(), e);
        }
    }

    /** The provider behind a resolved section, for listings. */
    public Provider<?> provider(ComponentKind kind, String name) {
        return registry.get(kind, name, kind.label());
    }
}
