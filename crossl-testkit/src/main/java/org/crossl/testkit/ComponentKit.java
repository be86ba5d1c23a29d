package org.crossl.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Trainable;
import org.crossl.api.spi.Provider;
import org.crossl.core.config.Section;
import org.crossl.core.config.ConfigError;
import org.crossl.core.config.Json;
import org.crossl.core.model.ModelIO;
import org.junit.jupiter.api.DynamicTest;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every kit shares: the provider under test, its config (YAML), the checks that apply to
 * every kind (registration, name, config binding and round trip), and the two ways to run them.
 *
 * @param <K> the concrete kit, for fluent setters
 */
public abstract class ComponentKit<K extends ComponentKit<K>> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]*");

    protected final Provider<?> provider;
    protected final Class<?> spi;
    protected String config = "{}";
    protected String tinyConfig;
    protected double tolerance = 1e-5;

    protected ComponentKit(Provider<?> provider, Class<?> spi) {
        this.provider = provider;
        this.spi = spi;
    }

    @SuppressWarnings("unchecked")
    private K self() {
        return (K) this;
    }

    /** The config section (YAML or JSON, without {@code type}) the shape and round-trip checks use; default {@code {}}. */
    public K config(String yaml) {
        this.config = yaml;
        return self();
    }

    /** The config of the small float64 instance the gradient check builds; default: {@link #config}. */
    public K tinyConfig(String yaml) {
        this.tinyConfig = yaml;
        return self();
    }

    /** Largest relative error the gradient check accepts; default 1e-5. */
    public K tolerance(double tolerance) {
        this.tolerance = tolerance;
        return self();
    }

    /** One named check. */
    public record Check(String name, Runnable body) {
    }

    /** The kind's checks, in the order they run. */
    protected abstract List<Check> kindChecks();

    /**
     * Every check, as JUnit dynamic tests named after the provider: return it from a {@code @TestFactory}.
     *
     * @throws org.crossl.core.config.ConfigError when {@link #config} or {@link #tinyConfig} does not bind
     */
    public Stream<DynamicTest> tests() {
        bindConfigs();
        return checks().stream().map(c -> DynamicTest.dynamicTest(provider.name() + ": " + c.name(), c.body()::run));
    }

    /** Runs every check and throws one {@link AssertionError} listing each that failed. */
    public void assertConforms() {
        bindConfigs();
        List<String> failures = new ArrayList<>();
        for (Check c : checks()) {
            try {
                c.body().run();
            } catch (AssertionError | RuntimeException e) {
                failures.add(c.name() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(provider.name() + " fails " + failures.size() + " conformance check(s):\n  " + String.join("\n  ", failures));
        }
    }

    /** A typo in the kit's own configs is the test author's error: it fails at once, not in every check. */
    private void bindConfigs() {
        bind(config);
        bind(tiny());
    }

    /** The checks' names, for documentation and the kit's own tests. */
    public List<String> checkNames() {
        return checks().stream().map(Check::name).toList();
    }

    private List<Check> checks() {
        List<Check> all = new ArrayList<>();
        all.add(new Check("is registered for ServiceLoader under " + spi.getSimpleName(), this::registered));
        all.add(new Check("has a lower-case name and binds an empty config section to defaults", this::nameAndDefaults));
        all.add(new Check("config survives a round trip through its resolved form", this::configRoundTrip));
        all.add(new Check("refuses an unknown config key, naming it", this::unknownKey));
        all.addAll(kindChecks());
        return all;
    }

    private void registered() {
        boolean found = ServiceLoader.load(spi, provider.getClass().getClassLoader()).stream()
                .anyMatch(p -> p.type().equals(provider.getClass()));
        check(found, provider.getClass().getName() + " is not registered: add its name to META-INF/services/" + spi.getName()
                + " (class path) and 'provides " + spi.getName() + " with " + provider.getClass().getName() + ";' to module-info.java (module path)");
    }

    private void nameAndDefaults() {
        check(provider.name() != null && NAME.matcher(provider.name()).matches(),
                "name() must be lower case letters, digits, '.', '_' or '-', starting with a letter; got '" + provider.name() + "'");
        check(provider.configType() != null, "configType() is null");
        check(bind("{}") != null, "an empty section bound to null");
    }

    private void configRoundTrip() {
        Object bound = bind(config);
        Section resolved = Section.of(provider.name(), provider.name(), bound);
        Object again = resolved.bind(provider.configType(), "resolved config");
        check(bound.equals(again), "binding the resolved config " + resolved + " gives " + again + ", not the equal " + bound
                + " (make the config a record, or implement equals)");
        Section resolvedAgain = Section.of(provider.name(), provider.name(), again);
        check(resolved.equals(resolvedAgain), "the resolved config changes on a second round trip: " + resolved + " then " + resolvedAgain);
    }

    private void unknownKey() {
        try {
            bind("{conformanceNoSuchKey: 1}");
        } catch (ConfigError e) {
            check(e.getMessage().contains("conformanceNoSuchKey"), "the error does not name the key: " + e.getMessage());
            return;
        }
        throw new AssertionError("a config with the unknown key 'conformanceNoSuchKey' was accepted; typos in configs must fail "
                + "(do not annotate the config with @JsonIgnoreProperties(ignoreUnknown = true))");
    }

    // ---- helpers for the kinds' checks

    /** Binds a YAML section to the provider's config type exactly as a config file's section is bound. */
    protected Object bind(String yaml) {
        JsonNode node;
        try {
            node = Json.YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("the kit's config is not YAML: " + yaml, e);
        }
        Section section = node == null || node.isNull() || node.isMissingNode() ? Section.empty(provider.name()) : Json.section(provider.name(), node);
        return section.bind(provider.configType(), "conformance kit");
    }

    protected String tiny() {
        return tinyConfig != null ? tinyConfig : config;
    }

    protected static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    /** Fails unless every parameter of {@code t} is float64, as the provider was asked. */
    protected static void typeFollowed(org.crossl.api.nn.Trainable t, String call) {
        for (Parameter p : t.parameters()) {
            check(p.value().dataType() == DataType.DOUBLE, call + " built parameter '" + p.name() + "' in " + p.value().dataType()
                    + "; build parameters in the type the provider is given (a provider that implements only the older"
                    + " create without a type cannot be gradient-checked: implement the one with a DataType)");
        }
    }

    protected static void parametersWellFormed(Trainable t, String what) {
        Map<String, Parameter> seen = new LinkedHashMap<>();
        for (Parameter p : t.parameters()) {
            check(p.name() != null && !p.name().isBlank(), what + ": a parameter has no name");
            check(seen.put(p.name(), p) == null, what + ": two parameters are named '" + p.name() + "'; names key the model file");
            check(java.util.Arrays.equals(p.value().shape(), p.grad().shape()),
                    what + ": parameter '" + p.name() + "' has value shape " + java.util.Arrays.toString(p.value().shape())
                            + " but gradient shape " + java.util.Arrays.toString(p.grad().shape()));
        }
    }

    /** Copies {@code from}'s parameters into {@code to} through the model file's parameter codec. */
    protected static void roundTripParameters(Trainable from, Trainable to) {
        try {
            Path dir = Files.createTempDirectory("crossl-kit");
            Path bin = dir.resolve("parameters.bin");
            try {
                ModelIO.ParameterFile f = ModelIO.writeParameters(named(from), bin);
                ModelIO.readParameters(bin, f.manifest(), f.sha256(), named(to), "conformance kit");
            } finally {
                Files.deleteIfExists(bin);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static Map<String, Parameter> named(Trainable t) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        t.parameters().forEach(p -> m.put(p.name(), p));
        return m;
    }

    protected static boolean sameParameters(Trainable a, Trainable b) {
        List<Parameter> pa = a.parameters();
        List<Parameter> pb = b.parameters();
        if (pa.size() != pb.size()) {
            return false;
        }
        for (int i = 0; i < pa.size(); i++) {
            if (!pa.get(i).value().equals(pb.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    protected static void finite(INDArray a, String what) {
        double s = a.castTo(DataType.DOUBLE).sumNumber().doubleValue();
        check(Double.isFinite(s) && !a.isNaN().any() && !a.isInfinite().any(), what + " holds NaN or Inf");
    }

    protected static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
