package org.crossl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.core.Crossl;
import org.junit.jupiter.api.Test;

/** Every config mistake is reported before any work, with the file, the key path and, for typos, a suggestion. */
class ConfigValidationTest {
    static final List<ModalitySpec> MODS = List.of(new ModalitySpec("acc", List.of("x", "y", "z"), 50, "wrist"),
            new ModalitySpec("gyro", List.of("x", "y", "z"), 50, "wrist"));
    static final String BASE = """
            name: v
            data: {type: none}
            encoders: {default: {type: tcn}}
            masker: {type: spatial}
            aggregator: {type: mlp}
            objective: {type: vicreg}
            """;

    static String error(String yaml, String... sets) {
        try {
            ExperimentConfig c = ExperimentConfig.parse(yaml, "exp.yaml", true);
            for (String s : sets) {
                c = c.with(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
            }
            c.training();
            c.optimizer();
            Crossl.assembler().assemble(c, MODS, null);
        } catch (ConfigError e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }

    @Test
    void typosGetASuggestion() {
        assertThat(error(BASE + "trainig: {epochs: 3}\n")).startsWith("exp.yaml: trainig: unknown key; did you mean 'training'?");
        assertThat(error(BASE, "encoders.default={type: tcn, kernals: [3, 3, 3]}"))
                .contains("encoders.default.kernals: unknown key; did you mean 'kernels'?", "known keys: [");
        assertThat(error(BASE, "masker={type: spatial, ration: 0.3}")).contains("masker.ration: unknown key; did you mean 'ratio'?");
        assertThat(error(BASE, "masker={type: spatail}")).contains("masker.type", "spatail", "spatial");
        assertThat(error(BASE, "training={batchSize: 8, zzz: 1}")).contains("training.zzz: unknown key").doesNotContain("did you mean");
    }

    @Test
    void wrongTypesAndOutOfRangeValuesNameTheKey() {
        assertThat(error(BASE, "training.batchSize=eight")).contains("training.batchSize").contains("eight");
        assertThat(error(BASE, "training.batchSize=1")).contains("training.batchSize: must be at least 2");
        assertThat(error(BASE, "masker.ratio=1.0")).contains("masker.ratio: is the fraction hidden and must be in [0, 1)");
        assertThat(error(BASE, "masker.ratio=-0.1")).contains("masker.ratio");
        assertThat(error(BASE, "masker={type: spatial, ratio: 0.8, mode: exact}"))
                .contains("masker.ratio: 0.8 hides round(0.8 × 2) = 2 of 2 modalities in exact mode", "below 0.750");
        assertThat(error(BASE, "optimizer.learningRate=-1")).contains("optimizer.learningRate");
        assertThat(error(BASE, "training.epochs=0")).contains("training.epochs: must be at least 1");
        assertThat(error(BASE, "encoders.default={type: tcn, dropout: 1.5}")).contains("encoders.default.dropout");
    }

    @Test
    void suggestionsNeedCloseness() {
        assertThat(Suggestions.didYouMean("epocs", List.of("epochs", "patience"))).isEqualTo("; did you mean 'epochs'?");
        assertThat(Suggestions.didYouMean("bacthSize", List.of("batchSize"))).isEqualTo("; did you mean 'batchSize'?");
        assertThat(Suggestions.didYouMean("x", List.of("epochs"))).isEmpty();
        assertThat(Suggestions.distance("kernals", "kernels")).isEqualTo(1);
    }

    /** Found by ConfigFuzzTest: a second key silently replaced the first. */
    @Test
    void duplicateKeysAreRefused() {
        assertThat(error(BASE + "seed: 1\nseed: 2\n")).startsWith("exp.yaml:8:").contains("Duplicate field 'seed'");
        assertThat(error(BASE + "training:\n  epochs: 3\n  epochs: 30\n")).startsWith("exp.yaml:9:").contains("Duplicate field 'epochs'");
    }

    /** Found by ConfigFuzzTest: non-UTF-8 files gave "cannot read config file …: Input length = 1". */
    @Test
    void nonUtf8FilesSayWhereAndWhat(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path latin1 = java.nio.file.Files.write(dir.resolve("exp.yaml"),
                ("name: café\n" + BASE.substring(BASE.indexOf('\n') + 1)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ExperimentConfig.load(latin1)).isInstanceOf(ConfigError.class)
                .hasMessage(latin1 + ":1:10: not UTF-8 text: byte 0xE9 at offset 9 cannot be decoded (Latin-1, another encoding or not "
                        + "a text file?); save the config as UTF-8");
        java.nio.file.Path utf16 = java.nio.file.Files.write(dir.resolve("u16.yaml"), BASE.getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertThatThrownBy(() -> ExperimentConfig.load(utf16)).isInstanceOf(ConfigError.class)
                .hasMessage(utf16 + ": UTF-16 text (byte-order mark FE FF); save the config as UTF-8");
        java.nio.file.Path bom = java.nio.file.Files.write(dir.resolve("bom.yaml"), ("\uFEFF" + BASE).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ExperimentConfig.load(bom).name()).isEqualTo("v");
    }
}
