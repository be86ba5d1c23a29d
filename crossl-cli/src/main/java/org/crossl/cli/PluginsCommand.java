package org.crossl.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.crossl.api.spi.Provider;
import org.crossl.core.Crossl;
import org.crossl.core.registry.ComponentKind;
import org.crossl.core.registry.PluginRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crossl plugins}: every discovered component, by kind and name, with where it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "List every discovered component (encoders, maskers, aggregators, objectives, datasets).")
final class PluginsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = Crossl.registry();
        var out = spec.commandLine().getOut();
        for (ComponentKind kind : ComponentKind.values()) {
            Map<String, Provider<?>> ps = registry.providers(kind);
            out.println(kind.label() + "s:");
            if (ps.isEmpty()) {
                out.println("  (none)");
            }
            for (Map.Entry<String, Provider<?>> e : ps.entrySet()) {
                Provider<?> p = e.getValue();
                out.printf("  %-12s %-48s [%s]%n", e.getKey(), p.description(), PluginRegistry.location(p));
            }
        }
        out.println("guice modules:");
        if (registry.modules().isEmpty()) {
            out.println("  (none)");
        }
        for (var m : registry.modules()) {
            out.printf("  %-61s [%s]%n", m.getClass().getName(), PluginRegistry.location(m));
        }
        return 0;
    }
}
