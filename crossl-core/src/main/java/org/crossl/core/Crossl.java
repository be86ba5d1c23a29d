package org.crossl.core;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.spi.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.crossl.core.config.ConfigError;
import org.crossl.core.data.DatasetCache;
import org.crossl.core.model.ModelAssembler;
import org.crossl.core.registry.PluginModule;
import org.crossl.core.registry.PluginRegistry;

/**
 * Entry point for library users: the Guice injector holding every discovered plugin and the library's
 * services.
 * <pre>
 * Injector crossl = Crossl.shared();
 * ModelAssembler assembler = crossl.getInstance(ModelAssembler.class);
 * PretrainRun run = crossl.getInstance(PretrainRun.class);    // runs take their assembler from the injector
 * </pre>
 *
 * <p>What is bound: the providers of every kind (typed maps, see {@link PluginModule}), the modules
 * that plugins contribute ({@link org.crossl.core.registry.PluginBindings}), {@link PluginRegistry},
 * {@link ModelAssembler}, the runs, and the {@link DatasetCache} they share ({@link DatasetCache#fromEnvironment()}
 * unless a module sets another with {@link #cacheAt}).
 *
 * <p>{@link #shared()} is one injector per class loader, built on first use: plugin discovery
 * ({@link java.util.ServiceLoader}) runs once per process, not once per call (a Spark executor
 * assembles a model per task). {@link #injector} builds a new one, for a program that adds its own
 * modules (the CLI adds its cache directory) or a class loader of its own.
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

    /**
     * A new injector: plugins discovered with {@code loader} (and the boot layer), the library's
     * bindings, then {@code extra}. A binding error (two modules binding one name, a provider bound
     * under a name that is not its own) is a {@link ConfigError} listing Guice's messages.
     */
    public static Injector injector(ClassLoader loader, Module... extra) {
        List<Module> modules = new ArrayList<>();
        modules.add(new PluginModule(loader != null ? loader : Crossl.class.getClassLoader()));
        modules.addAll(List.of(extra));
        try {
            return Guice.createInjector(modules);
        } catch (CreationException e) {
            if (e.getCause() instanceof ConfigError c) {
                throw c;
            }
            throw new ConfigError("the plugins' Guice bindings do not fit together: " + e.getErrorMessages().stream()
                    .map(Message::getMessage).collect(Collectors.joining("; ")), e);
        }
    }

    /** A module that makes every assembler and run of its injector cache windows in {@code cache}. */
    public static Module cacheAt(DatasetCache cache) {
        return binder -> OptionalBinder.newOptionalBinder(binder, DatasetCache.class).setBinding().toInstance(cache);
    }

    public static PluginRegistry registry() {
        return shared().getInstance(PluginRegistry.class);
    }

    /** An assembler over every discovered plugin, from the shared injector. */
    public static ModelAssembler assembler() {
        return shared().getInstance(ModelAssembler.class);
    }

}
