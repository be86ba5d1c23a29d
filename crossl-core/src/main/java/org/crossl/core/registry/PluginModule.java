package org.crossl.core.registry;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.util.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.crossl.api.spi.AggregatorProvider;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.MaskerProvider;
import org.crossl.api.spi.ObjectiveProvider;
import org.crossl.api.spi.Provider;
import org.crossl.core.config.ConfigError;

/**
 * Feeds every provider that {@link ServiceLoader} finds into Guice, one typed map binder per provider
 * interface ({@code Map<String, EncoderProvider<?>>}, {@code Map<String, MaskerProvider<?>>}, …) keyed
 * by the provider's config name, and installs every {@link PluginBindings} module that plugins
 * contribute. Third-party jars on the class path or module path join with no code change.
 *
 * <p>Providers that ServiceLoader creates are bound as instances (Guice still injects their
 * {@code @Inject} fields and methods); a plugin's own module may bind a provider by class, and Guice
 * then constructs it. Tests and embedders add providers with another module contributing to the same
 * maps ({@link #encoders}, …, or {@link #bindProvider}).
 */
public final class PluginModule extends AbstractModule {
    private final ClassLoader loader;
    private final Map<ComponentKind, Map<String, Provider<?>>> discovered = new java.util.EnumMap<>(ComponentKind.class);
    private final List<PluginBindings> contributed;

    /**
     * Discovers providers with the given class loader (class path) and the boot layer (module path).
     * Discovery happens here, so a broken or clashing plugin fails with a plain {@link ConfigError}.
     */
    public PluginModule(ClassLoader loader) {
        this.loader = loader;
        for (ComponentKind kind : ComponentKind.values()) {
            discovered.put(kind, discover(kind));
        }
        this.contributed = loadBindings(loader);
    }

    public PluginModule() {
        this(Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : PluginModule.class.getClassLoader());
    }

    /** The map of encoder providers by name, to add to from a module. */
    public static MapBinder<String, EncoderProvider<?>> encoders(Binder binder) {
        return mapBinder(binder, ComponentKind.ENCODER);
    }

    public static MapBinder<String, MaskerProvider<?>> maskers(Binder binder) {
        return mapBinder(binder, ComponentKind.MASKER);
    }

    public static MapBinder<String, AggregatorProvider<?>> aggregators(Binder binder) {
        return mapBinder(binder, ComponentKind.AGGREGATOR);
    }

    public static MapBinder<String, ObjectiveProvider<?>> objectives(Binder binder) {
        return mapBinder(binder, ComponentKind.OBJECTIVE);
    }

    public static MapBinder<String, DatasetProvider<?>> datasets(Binder binder) {
        return mapBinder(binder, ComponentKind.DATASET);
    }

    /** The key type of one kind's map: {@code EncoderProvider<?>} for encoders. */
    @SuppressWarnings("unchecked")
    static <P> TypeLiteral<P> providerType(ComponentKind kind) {
        return (TypeLiteral<P>) TypeLiteral.get(Types.newParameterizedType(kind.providerType(), Types.subtypeOf(Object.class)));
    }

    private static <P> MapBinder<String, P> mapBinder(Binder binder, ComponentKind kind) {
        return MapBinder.newMapBinder(binder, TypeLiteral.get(String.class), providerType(kind));
    }

    /** Adds one provider instance from code (tests, embedders), under its name; it must implement the kind's interface. */
    public static void bindProvider(Binder binder, ComponentKind kind, Provider<?> provider) {
        if (!kind.providerType().isInstance(provider)) {
            throw new ConfigError("provider '" + provider.name() + "' (" + provider.getClass().getName() + ") was bound as a "
                    + kind.label() + " but does not implement " + kind.providerType().getSimpleName());
        }
        MapBinder<String, Provider<?>> map = mapBinder(binder, kind);
        map.addBinding(provider.name()).toInstance(provider);
    }

    @Override
    protected void configure() {
        for (ComponentKind kind : ComponentKind.values()) {
            MapBinder<String, Provider<?>> map = mapBinder(binder(), kind);
            discovered.get(kind).forEach((name, p) -> map.addBinding(name).toInstance(p));
        }
        bind(PluginRegistry.class).asEagerSingleton(); // a misbound plugin fails when the injector is made
        // the library's one default: where assemblers and runs cache windows (Crossl.cacheAt replaces it)
        com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), org.crossl.core.data.DatasetCache.class).setDefault()
                .toProvider((com.google.inject.Provider<org.crossl.core.data.DatasetCache>) org.crossl.core.data.DatasetCache::fromEnvironment);
        com.google.inject.multibindings.Multibinder<PluginBindings> modules = com.google.inject.multibindings.Multibinder.newSetBinder(
                binder(), PluginBindings.class);
        for (PluginBindings m : contributed) {
            install(m);
            modules.addBinding().toInstance(m);
        }
    }

    private Map<String, Provider<?>> discover(ComponentKind kind) {
        Map<String, Provider<?>> seen = new java.util.LinkedHashMap<>();
        for (Provider<?> p : load(kind)) {
            Provider<?> before = seen.putIfAbsent(p.name(), p);
            if (before != null && !before.getClass().equals(p.getClass())) {
                throw new ConfigError("two " + kind.label() + " providers are both named '" + p.name() + "': "
                        + before.getClass().getName() + " (" + PluginRegistry.location(before) + ") and "
                        + p.getClass().getName() + " (" + PluginRegistry.location(p) + "); remove one jar or rename one provider");
            }
        }
        return seen;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Iterable<Provider<?>> load(ComponentKind kind) {
        List<Provider<?>> out = new ArrayList<>();
        try {
            ServiceLoader<? extends Provider> sl = ServiceLoader.load((Class) kind.providerType(), loader);
            for (Provider<?> p : sl) {
                validateName(kind, p);
                out.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigError("a " + kind.label() + " plugin could not be loaded: " + e.getMessage()
                    + " (check its META-INF/services entry or module-info 'provides' and that the class has a public no-argument constructor)", e);
        }
        return out;
    }

    private static List<PluginBindings> loadBindings(ClassLoader loader) {
        List<PluginBindings> out = new ArrayList<>();
        try {
            for (PluginBindings m : ServiceLoader.load(PluginBindings.class, loader)) {
                if (out.stream().noneMatch(o -> o.getClass().equals(m.getClass()))) { // a jar seen twice installs once
                    out.add(m);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigError("a plugin's Guice module (PluginBindings) could not be loaded: " + e.getMessage()
                    + " (check its META-INF/services entry or module-info 'provides' and that the class has a public no-argument constructor)", e);
        }
        return List.copyOf(out);
    }

    static void validateName(ComponentKind kind, Provider<?> p) {
        String name = p.name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new ConfigError(kind.label() + " provider " + p.getClass().getName() + " has an invalid name '" + name
                    + "'; names are lower case letters, digits, '_', '-' or '.'");
        }
        if (p.configType() == null) {
            throw new ConfigError(kind.label() + " provider '" + name + "' (" + p.getClass().getName() + ") returns no configType()");
        }
    }
}
