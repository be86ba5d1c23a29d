package org.crossl.core.registry;

import com.google.inject.Module;

/**
 * A Guice module that a plugin contributes, found by {@link java.util.ServiceLoader} like the
 * providers ({@code provides org.crossl.core.registry.PluginBindings with …} in {@code module-info.java},
 * or a {@code META-INF/services/org.crossl.core.registry.PluginBindings} entry) and installed into
 * the injector beside the discovered providers.
 *
 * <p>Use it when a provider needs collaborators: bind the provider by class into its kind's map
 * ({@link PluginModule#encoders}, {@link PluginModule#maskers}, …) and Guice constructs it with
 * constructor injection, instead of ServiceLoader's public no-argument constructor:
 * <pre>
 * public final class MyBindings extends AbstractModule implements PluginBindings {
 *     protected void configure() {
 *         bind(Calibration.class).toInstance(Calibration.fromEnvironment());
 *         PluginModule.encoders(binder()).addBinding("calibrated").to(CalibratedEncoderProvider.class);
 *     }
 * }
 * </pre>
 * The map key must equal the provider's {@code name()}; a name bound twice (here and by
 * ServiceLoader, or by two modules) fails when the injector is made. On the module path, open the
 * package of the classes Guice constructs to {@code com.google.guice}
 * ({@code opens org.example to com.google.guice;}).
 */
public interface PluginBindings extends Module {
}
