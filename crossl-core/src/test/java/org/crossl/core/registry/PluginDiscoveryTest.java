package org.crossl.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.crossl.core.Crossl;
import org.crossl.core.config.ConfigError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin jar that this build never saw is found through a fresh class loader, with no code change. */
class PluginDiscoveryTest {

    private static final String SOURCE = """
            package thirdparty;
            public final class EveryOtherMasker implements org.crossl.api.spi.MaskerProvider<EveryOtherMasker.Config> {
                public record Config(Double ratio) {}
                public String name() { return "every-other"; }
                public Class<Config> configType() { return Config.class; }
                public String description() { return "a third-party masker"; }
                public org.crossl.api.Masker create(Config c) {
                    return (ctx, rng) -> new org.crossl.api.LatentMask(ctx.presence().dup(), null, null);
                }
            }
            """;

    /** Discovery runs once per process (per class loader); assemblers stay separate, so one's cache setting is not another's. */
    @Test
    void oneInjectorPerProcessAndAnAssemblerPerCaller() {
        assertThat(org.crossl.core.Crossl.shared()).isSameAs(org.crossl.core.Crossl.shared());
        var a = org.crossl.core.Crossl.assembler();
        var b = org.crossl.core.Crossl.assembler();
        assertThat(a).isNotSameAs(b);
        var c = a.withCache(org.crossl.core.data.DatasetCache.at(java.nio.file.Path.of("target/one-cache")));
        assertThat(c.cache().dir()).isEqualTo(java.nio.file.Path.of("target/one-cache"));
        assertThat(a.cache().dir()).isEqualTo(b.cache().dir()).isNotEqualTo(c.cache().dir());
        assertThat(a.registry().providers(org.crossl.core.registry.ComponentKind.ENCODER).keySet()).isEqualTo(b.registry().providers(
                org.crossl.core.registry.ComponentKind.ENCODER).keySet());
    }

    @Test
    void findsAThirdPartyJarThroughAFreshClassLoader(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/thirdparty/EveryOtherMasker.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        java.util.spi.ToolProvider javac = java.util.spi.ToolProvider.findFirst("javac").orElseThrow();
        int rc = javac.run(System.out, System.err, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("compiling the third-party plugin").isZero();

        Path jar = dir.resolve("every-other-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String cls : List.of("thirdparty/EveryOtherMasker.class", "thirdparty/EveryOtherMasker$Config.class")) {
                out.putNextEntry(new JarEntry(cls));
                Files.copy(classes.resolve(cls), out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.crossl.api.spi.MaskerProvider"));
            out.write("thirdparty.EveryOtherMasker\n".getBytes());
            out.closeEntry();
        }

        // Without the jar: unknown, and the error lists what is known.
        PluginRegistry plain = Crossl.registry();
        assertThat(plain.providers(ComponentKind.MASKER)).doesNotContainKey("every-other");
        assertThatThrownBy(() -> plain.get(ComponentKind.MASKER, "every-other", "cfg.yaml: masker.type"))
                .isInstanceOf(ConfigError.class)
                .hasMessage("cfg.yaml: masker.type: unknown masker 'every-other'; known maskers: random, spatial, temporal");

        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            PluginRegistry withJar = Crossl.injector(loader).getInstance(PluginRegistry.class);
            assertThat(withJar.providers(ComponentKind.MASKER)).containsKeys("every-other", "random", "spatial", "temporal");
            assertThat(PluginRegistry.location(withJar.providers(ComponentKind.MASKER).get("every-other"))).isEqualTo("every-other-plugin.jar");
        }
    }

    @Test
    void builtInsOfEveryModuleOnTheTestClassPathAreListed() {
        PluginRegistry r = Crossl.registry();
        assertThat(r.providers(ComponentKind.ENCODER)).containsKey("tcn");
        assertThat(r.providers(ComponentKind.AGGREGATOR)).containsKey("mlp");
        assertThat(r.providers(ComponentKind.OBJECTIVE)).containsKey("vicreg");
        assertThat(r.providers(ComponentKind.MASKER)).containsOnlyKeys("random", "spatial", "temporal");
    }

    @Test
    void duplicateNamesFromDifferentClassesFail(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("dup.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/org.crossl.api.spi.MaskerProvider"));
            out.write(("org.crossl.core.registry.PluginDiscoveryTest$FakeSpatial\n").getBytes());
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Crossl.injector(loader))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("two masker providers are both named 'spatial'");
        }
    }

    private static final String MODULE_SOURCE = """
            package thirdparty;
            public final class CalibratedBindings extends com.google.inject.AbstractModule implements org.crossl.core.registry.PluginBindings {
                public static final class Calibration { final double gain; Calibration(double gain) { this.gain = gain; } }
                public static final class CalibratedMasker implements org.crossl.api.spi.MaskerProvider<Object> {
                    final Calibration calibration;
                    @com.google.inject.Inject public CalibratedMasker(Calibration calibration) { this.calibration = calibration; }
                    public String name() { return "%s"; }
                    public Class<Object> configType() { return Object.class; }
                    public String description() { return "gain " + calibration.gain; }
                    public org.crossl.api.Masker create(Object c) { return null; }
                }
                protected void configure() {
                    bind(Calibration.class).toInstance(new Calibration(2.5));
                    org.crossl.core.registry.PluginModule.maskers(binder()).addBinding("%s").to(CalibratedMasker.class);
                }
            }
            """;

    /** Compiles {@link #MODULE_SOURCE} with the given provider name and map key into a jar that declares the module as a service. */
    private static Path bindingsJar(Path dir, String name, String key) throws Exception {
        Path src = dir.resolve("src/thirdparty/CalibratedBindings.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, MODULE_SOURCE.formatted(name, key));
        Path classes = dir.resolve("classes");
        java.util.spi.ToolProvider javac = java.util.spi.ToolProvider.findFirst("javac").orElseThrow();
        int rc = javac.run(System.out, System.err, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("compiling the plugin's module").isZero();
        Path jar = dir.resolve("calibrated-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.crossl.core.registry.PluginBindings"));
            out.write("thirdparty.CalibratedBindings\n".getBytes());
            out.closeEntry();
        }
        return jar;
    }

    /** A plugin's own Guice module binds a provider by class: Guice constructs it with what the module binds. */
    @Test
    void aPluginsGuiceModuleBindsAProviderWithConstructorInjection(@TempDir Path dir) throws Exception {
        Path jar = bindingsJar(dir, "calibrated", "calibrated");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            PluginRegistry r = Crossl.injector(loader).getInstance(PluginRegistry.class);
            assertThat(r.providers(ComponentKind.MASKER)).containsKeys("calibrated", "random", "spatial", "temporal");
            assertThat(r.providers(ComponentKind.MASKER).get("calibrated").description()).isEqualTo("gain 2.5");
            assertThat(r.modules()).extracting(m -> m.getClass().getName()).containsExactly("thirdparty.CalibratedBindings");
        }
    }

    @Test
    void aProviderBoundUnderAnotherNameOrABuiltInsNameFails(@TempDir Path dir) throws Exception {
        Path jar = bindingsJar(dir.resolve("a"), "calibrated", "tuned");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Crossl.injector(loader))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("is bound under 'tuned' but is named 'calibrated'");
        }
        Path clash = bindingsJar(dir.resolve("b"), "spatial", "spatial");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{clash.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> Crossl.injector(loader))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("do not fit together")
                    .hasMessageContaining("spatial");
        }
    }

    /** One module sets the cache of every assembler and run of its injector. */
    @Test
    void aModuleSetsTheCacheOfAssemblersAndRuns(@TempDir Path dir) {
        var cache = org.crossl.core.data.DatasetCache.at(dir.resolve("windows"));
        var injector = Crossl.injector(Crossl.cacheAt(cache));
        assertThat(injector.getInstance(org.crossl.core.model.ModelAssembler.class).cache()).isSameAs(cache);
        assertThat(injector.getInstance(org.crossl.core.run.PretrainRun.class)).isNotNull();
        assertThat(Crossl.injector().getInstance(org.crossl.core.model.ModelAssembler.class).cache().dir()).isNotEqualTo(dir.resolve("windows"));
    }

    /** Claims a built-in's name. */
    public static final class FakeSpatial implements org.crossl.api.spi.MaskerProvider<Object> {
        @Override
        public String name() {
            return "spatial";
        }

        @Override
        public Class<Object> configType() {
            return Object.class;
        }

        @Override
        public org.crossl.api.Masker create(Object c) {
            return null;
        }
    }

}
