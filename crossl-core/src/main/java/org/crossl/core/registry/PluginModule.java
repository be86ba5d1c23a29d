package org.crossl.core.registry;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.crossl.api.spi.Provider;
import org.crossl.core.config.ConfigError;

/**
 * Feeds every provider that {@link ServiceLoader} finds into Guice: one
 * {@code MapBinder<String, Provider<?>>} per {@link ComponentKind}, keyed by the provider's config
 * name and annotated with {@link Kind}. Third-party jars on the class path or module path join with no
 * code change. Tests and embedders can add providers with another module contributing to the same
 * map binders ({@link #bindProvider}), or replace bindings with {@code Modules.override}.
 */
public final class PluginModule extends AbstractModule {
    private final ClassLoader loader;
    private final Map<ComponentKind, Map<String, Provider<?>>> discovered = new java.util.EnumMap<>(ComponentKind.class);

    /**
     * Discovers providers with the given class loader (class path) and the boot layer (module path).
     * Discovery happens here, so a broken or clashing plugin fails with a plain {@link ConfigError}.
     */
    public PluginModule(ClassLoader loader) {
        this.loader = loader;
        for (ComponentKind kind : ComponentKind.values()) {
            discovered.put(kind, discover(kind));
        }
    }

    public PluginModule() {
        this(Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : PluginModule.class.getClassLoader());
    }

    static MapBinder<String, Provider<?>> mapBinder(com.google.inject.Binder binder, ComponentKind kind) {
        return MapBinder.newMapBinder(binder, new TypeLiteral<String>() {
        }, new TypeLiteral<Provider<?>>() {
        }, Kinds.of(kind));
    }

    /** Adds one provider from code (tests, embedders). */
    public static void bindProvider(com.google.inject.Binder binder, ComponentKind kind, Provider<?> provider) {
        mapBinder(binder, kind).addBinding(provider.name()).toInstance(provider);
    }

    @Override
    protected void configure() {
        for (ComponentKind kind : ComponentKind.values()) {
            MapBinder<String, Provider<?>> binder = mapBinder(binder(), kind);
            discovered.get(kind).forEach((name, p) -> binder.addBinding(name).toInstance(p));
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
        java.util.List<Provider<?>> out = new java.util.ArrayList<>();
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

    private static void validateName(ComponentKind kind, Provider<?> p) {
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
