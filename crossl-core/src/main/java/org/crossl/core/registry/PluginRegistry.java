package org.crossl.core.registry;

import com.google.inject.Inject;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.crossl.api.spi.Provider;
import org.crossl.core.config.ConfigError;

/**
 * Every component provider known to this run, by kind and name. Built by Guice from the maps that
 * {@link PluginModule} fills. Looking up an unknown name fails with the known names of that kind.
 */
public final class PluginRegistry {
    private final Map<ComponentKind, Map<String, Provider<?>>> byKind = new EnumMap<>(ComponentKind.class);

    @Inject
    public PluginRegistry(@Kind(ComponentKind.ENCODER) Map<String, Provider<?>> encoders,
                          @Kind(ComponentKind.MASKER) Map<String, Provider<?>> maskers,
                          @Kind(ComponentKind.AGGREGATOR) Map<String, Provider<?>> aggregators,
                          @Kind(ComponentKind.OBJECTIVE) Map<String, Provider<?>> objectives,
                          @Kind(ComponentKind.DATASET) Map<String, Provider<?>> datasets) {
        put(ComponentKind.ENCODER, encoders);
        put(ComponentKind.MASKER, maskers);
        put(ComponentKind.AGGREGATOR, aggregators);
        put(ComponentKind.OBJECTIVE, objectives);
        put(ComponentKind.DATASET, datasets);
    }

    private void put(ComponentKind kind, Map<String, Provider<?>> providers) {
        for (Map.Entry<String, Provider<?>> e : providers.entrySet()) {
            if (!kind.providerType().isInstance(e.getValue())) {
                throw new ConfigError("provider '" + e.getKey() + "' (" + e.getValue().getClass().getName() + ") was bound as a "
                        + kind.label() + " but does not implement " + kind.providerType().getSimpleName());
            }
        }
        byKind.put(kind, Collections.unmodifiableMap(new TreeMap<>(providers)));
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
