package org.crossl.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.ArrayList;
import java.util.List;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.registry.PluginModule;
import org.crossl.core.registry.PluginRegistry;

/**
 * Entry point for library users: a Guice injector holding every discovered plugin.
 * <pre>
 * ModelAssembler assembler = Crossl.injector().getInstance(ModelAssembler.class);
 * </pre>
 * Extra Guice modules can add providers ({@link PluginModule#bindProvider}) or override bindings.
 *
 * <p>{@link #registry()} and {@link #assembler()} share one injector per class loader, built on first
 * use: plugin discovery ({@link java.util.ServiceLoader}) runs once per process, not once per call
 * (a Spark executor assembles a model per task). {@link #injector} always builds a new one.
 */
public final class Crossl {
    /** The shared injectors, by the class loader their plugins were discovered with (weakly: a dropped loader frees its own). */
    private static final java.util.Map<ClassLoader, Injector> SHARED = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private Crossl() {
    }

    /** The process's injector for the current context class loader, built once. */
    public static Injector shared() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ClassLoader key = loader != null ? loader : Crossl.class.getClassLoader();
        Injector i = SHARED.get(key);
        if (i == null) {
            synchronized (SHARED) {
                i = SHARED.computeIfAbsent(key, k -> injector(k));
            }
        }
        return i;
    }

    public static Injector injector(Module... extra) {
        return injector(Thread.currentThread().getContextClassLoader(), extra);
    }

    public static Injector injector(ClassLoader loader, Module... extra) {
        List<Module> modules = new ArrayList<>();
        modules.add(new PluginModule(loader != null ? loader : Crossl.class.getClassLoader()));
        modules.addAll(List.of(extra));
        return Guice.createInjector(modules);
    }

    public static PluginRegistry registry() {
        return shared().getInstance(PluginRegistry.class);
    }

    /** An assembler over every discovered plugin; a new instance each call (its cache setting is per caller), the same plugins. */
    public static ModelAssembler assembler() {
        return shared().getInstance(ModelAssembler.class);
    }
}
