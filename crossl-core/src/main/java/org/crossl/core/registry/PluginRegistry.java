package org.crossl.core.registry;

import com.google.inject.Inject;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crossl.api.spi.AggregatorProvider;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.MaskerProvider;
import org.crossl.api.spi.ObjectiveProvider;
import org.crossl.api.spi.Provider;
import org.crossl.core.config.ConfigError;

/**
 * Every component provider known to this run, by kind and name. Built by Guice from the typed maps
 * that {@link PluginModule} and plugins' {@link PluginBindings} fill. Looking up an unknown name fails with the known names of that kind.
 */
public final class PluginRegistry {
    private final Map<ComponentKind, Map<String, Provider<?>>> byKind = new EnumMap<>(ComponentKind.class);
    private final List<PluginBindings> modules;

    @Inject
    public PluginRegistry(Map<String, EncoderProvider<?>> encoders,
                          Map<String, MaskerProvider<?>> maskers,
                          Map<String, AggregatorProvider<?>> aggregators,
                          Map<String, ObjectiveProvider<?>> objectives,
                          Map<String, DatasetProvider<?>> datasets,
                          java.util.Set<PluginBindings> modules) {
        this.modules = modules.stream().sorted(java.util.Comparator.comparing(m -> m.getClass().getName())).toList();
        put(ComponentKind.ENCODER, encoders);
        put(ComponentKind.MASKER, maskers);
        put(ComponentKind.AGGREGATOR, aggregators);
        put(ComponentKind.OBJECTIVE, objectives);
        put(ComponentKind.DATASET, datasets);
    }

    /** Checks what a plugin's module bound by hand: the key is the provider's own valid name. */
    private void put(ComponentKind kind, Map<String, ? extends Provider<?>> providers) {
        for (Map.Entry<String, ? extends Provider<?>> e : providers.entrySet()) {
            Provider<?> p = e.getValue();
            PluginModule.validateName(kind, p);
            if (!e.getKey().equals(p.name())) {
                throw new ConfigError(kind.label() + " provider " + p.getClass().getName() + " (" + location(p) + ") is bound under '"
                        + e.getKey() + "' but is named '" + p.name() + "'; bind it under its name()");
            }
        }
        byKind.put(kind, Collections.unmodifiableMap(new TreeMap<>(providers)));
    }

    /** The Guice modules that plugins contributed, sorted by class name. */
    public List<PluginBindings> modules() {
        return modules;
    }

    /** The providers of one kind, sorted by name. */
    public Map<String, Provider<?>> providers(ComponentKind kind) {
        return byKind.get(kind);
    }

    /**
     * The provider named {@code name}.
     *
     * @param where what to name in the error ({@code "presets/x.yaml: masker.type"})
     */
    @SuppressWarnings("unchecked")
    public <P extends Provider<?>> P get(ComponentKind kind, String name, String where) {
        Provider<?> p = byKind.get(kind).get(name);
        if (p == null) {
            List<String> known = new ArrayList<>(byKind.get(kind).keySet());
            throw new ConfigError(where + ": unknown " + kind.label() + " '" + name + "'; known " + kind.label() + "s: "
                    + (known.isEmpty() ? "(none found: is the module that provides them on the class path?)" : String.join(", ", known)));
        }
        return (P) p;
    }

    /** Where a provider's class was loaded from (jar file, module or directory), for listings. */
    public static String location(Object provider) {
        Class<?> c = provider.getClass();
        Module m = c.getModule();
        if (m.isNamed()) {
            return "module " + m.getName();
        }
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "unknown";
        }
        String path = cs.getLocation().getPath();
        int slash = path.replaceAll("/$", "").lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
