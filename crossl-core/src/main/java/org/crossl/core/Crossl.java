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
 */
public final class Crossl {
    private Crossl() {
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
        return injector().getInstance(PluginRegistry.class);
    }

    public static ModelAssembler assembler() {
        return injector().getInstance(ModelAssembler.class);
    }
}
