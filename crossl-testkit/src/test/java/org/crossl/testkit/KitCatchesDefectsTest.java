package org.crossl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.crossl.api.Encoder;
import org.crossl.api.ObjectiveResult;
import org.crossl.api.SSLObjective;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.nn.Forward;
import org.crossl.api.nn.Parameter;
import org.crossl.api.nn.Pass;
import org.crossl.api.spi.ConfigException;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.ObjectiveProvider;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kit is only worth running if it fails on broken components: each test here hands it a
 * component with one defect and checks that exactly the check for that defect fails, by name.
 */
class KitCatchesDefectsTest {

    /** Mean squared difference of the views, with a switchable defect in its gradient. */
    public record SquareConfig(Boolean wrongGradient) {
        public SquareConfig {
            wrongGradient = wrongGradient != null && wrongGradient;
        }
    }

    /** Not registered in META-INF/services on purpose. */
    public static final class SquareProvider implements ObjectiveProvider<SquareConfig> {
        @Override
        public String name() {
            return "kit-square";
        }

        @Override
        public Class<SquareConfig> configType() {
            return SquareConfig.class;
        }

        @Override
        public SSLObjective create(SquareConfig config) {
            return new SSLObjective() {
                @Override
                public List<String> termNames() {
                    return List.of("square");
                }

                @Override
                public ObjectiveResult compute(INDArray za, INDArray zb) {
                    if (!java.util.Arrays.equals(za.shape(), zb.shape())) {
                        throw new IllegalArgumentException("views differ");
                    }
                    INDArray d = za.sub(zb);
                    double n = za.length();
                    double loss = d.mul(d).sumNumber().doubleValue() / n;
                    INDArray g = d.mul(2 / n);
                    Map<String, Double> terms = new LinkedHashMap<>();
                    terms.put("square", loss);
                    return new ObjectiveResult(loss, terms, config.wrongGradient() ? g.mul(1.5) : g, g.neg());
                }
            };
        }
    }

    @Test
    void aCorrectObjectivePassesEverythingButRegistration() {
        List<String> failed = failures(Conformance.objective(new SquareProvider()));
        assertThat(failed).singleElement().asString().startsWith("is registered for ServiceLoader");
    }

    @Test
    void aWrongGradientFailsTheGradientCheck() {
        List<String> failed = failures(Conformance.objective(new SquareProvider()).config("{wrongGradient: true}"));
        assertThat(failed).anyMatch(f -> f.startsWith("float64 gradients match central differences"));
    }

    @Test
    void anUnknownKeyIsReportedWithTheComponentsName() {
        assertThatThrownBy(() -> Conformance.objective(new SquareProvider()).config("{wrongGradiant: true}").assertConforms())
                .isInstanceOf(org.crossl.core.config.ConfigError.class).hasMessageContaining("wrongGradiant");
    }

    /** An encoder: mean over channels times a weight, with selectable defects. */
    public record ToyConfig(String defect) {
        public ToyConfig {
            if (defect != null && !List.of("unseeded", "noshapecheck", "overwrite", "ignoretype").contains(defect)) {
                throw new ConfigException("defect", "unknown defect " + defect);
            }
        }
    }

    public static final class ToyProvider implements EncoderProvider<ToyConfig> {
        @Override
        public String name() {
            return "kit-toy";
        }

        @Override
        public Class<ToyConfig> configType() {
            return ToyConfig.class;
        }

        @Override
        public Encoder create(ModalitySpec modality, ToyConfig config, DataType type, SplittableRandom init) {
            String defect = config.defect() == null ? "" : config.defect();
            long seed = defect.equals("unseeded") ? System.nanoTime() : init.nextLong();
            Nd4j.getRandom().setSeed(seed);
            Parameter w = new Parameter("w", Nd4j.randn(defect.equals("ignoretype") ? DataType.FLOAT : type, modality.channels(), 4), true);
            return new Encoder() {
                @Override
                public ModalitySpec modality() {
                    return modality;
                }

                @Override
                public int codeSize() {
                    return 4;
                }

                @Override
                public int latentLength(int inputLength) {
                    return inputLength;
                }

                @Override
                public Forward encode(INDArray x, Pass pass) {
                    if (!defect.equals("noshapecheck") && x.size(2) != modality.channels()) {
                        throw new IllegalArgumentException("expects " + modality.channels() + " channels");
                    }
                    long b = x.size(0);
                    long t = x.size(1);
                    INDArray flat = x.dup('c').reshape(b * t, x.size(2));
                    INDArray y = flat.mmul(w.value()).reshape(b, t, 4);
                    return Forward.of(y, g -> {
                        INDArray dw = flat.transpose().mmul(g.dup('c').reshape(b * t, 4));
                        if (defect.equals("overwrite")) {
                            w.grad().assign(dw);
                        } else {
                            w.accumulate(dw);
                        }
                        return null;
                    });
                }

                @Override
                public List<Parameter> parameters() {
                    return List.of(w);
                }
            };
        }
    }

    @Test
    void aCorrectEncoderPassesEverythingButRegistration() {
        assertThat(failures(Conformance.encoder(new ToyProvider()))).singleElement().asString().startsWith("is registered");
    }

    @Test
    void eachEncoderDefectFailsItsCheck() {
        assertThat(failures(Conformance.encoder(new ToyProvider()).config("{defect: unseeded}")))
                .anyMatch(f -> f.startsWith("same seed gives the same weights"));
        assertThat(failures(Conformance.encoder(new ToyProvider()).config("{defect: noshapecheck}")))
                .anyMatch(f -> f.startsWith("a wrong channel count is refused"));
        assertThat(failures(Conformance.encoder(new ToyProvider()).config("{defect: overwrite}")))
                .anyMatch(f -> f.startsWith("backward adds into parameter gradients"));
        assertThat(failures(Conformance.encoder(new ToyProvider()).config("{defect: ignoretype}")))
                .anyMatch(f -> f.startsWith("float64 gradients match finite differences") && f.contains("built parameter 'w' in FLOAT"));
    }

    private static List<String> failures(ComponentKit<?> kit) {
        try {
            kit.assertConforms();
            return List.of();
        } catch (AssertionError e) {
            return e.getMessage().lines().skip(1).map(String::strip).toList();
        }
    }
}
