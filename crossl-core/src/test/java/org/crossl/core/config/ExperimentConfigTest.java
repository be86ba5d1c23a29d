package org.crossl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.core.Crossl;
import org.crossl.core.model.ModelAssembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentConfigTest {
    static final String YAML = """
            name: roundtrip
            seed: 7
            data: {type: anything, path: somewhere}
            encoders:
              default: {type: tcn, kernels: [5, 3, 3]}
              gyro: {dropout: 0.2}
            masker: {type: spatial, ratio: 0.4, mode: exact}
            aggregator: {type: mlp, hidden: [16]}
            objective: {type: vicreg, preset: paper}
            optimizer: {learningRate: 0.001}
            training: {batchSize: 16, epochs: 3}
            """;
    static final List<ModalitySpec> MODS = List.of(
            new ModalitySpec("acc", List.of("x", "y", "z"), 10, "watch"),
            new ModalitySpec("gyro", List.of("x", "y", "z"), 10, "watch"));

    private final ModelAssembler assembler = Crossl.assembler();

    @Test
    void resolvedConfigRoundTripsThroughYamlAndJson(@TempDir Path dir) throws Exception {
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "test.yaml", true);
        Section data = cfg.data();
        ObjectNode resolved = Json.tree(assembler.assemble(cfg, MODS, data).resolvedConfig());
        // Defaults are filled in and per-modality overrides merged over the default entry.
        assertThat(resolved.at("/encoders/acc/codeSize").asInt()).isEqualTo(96);
        assertThat(resolved.at("/encoders/acc/dropout").asDouble()).isEqualTo(0.1);
        assertThat(resolved.at("/encoders/gyro/dropout").asDouble()).isEqualTo(0.2);
        assertThat(resolved.at("/encoders/gyro/kernels/0").asInt()).isEqualTo(5);
        assertThat(resolved.at("/masker/mode").asText()).isEqualTo("exact");
        assertThat(resolved.at("/objective/covariance").asDouble()).isEqualTo(1.0);
        assertThat(resolved.at("/optimizer/beta2").asDouble()).isEqualTo(0.999);
        assertThat(resolved.at("/training/patience").asInt()).isEqualTo(5);

        Path yaml = dir.resolve("resolved.yaml");
        Files.writeString(yaml, Json.YAML.writeValueAsString(resolved));
        ObjectNode again = Json.tree(assembler.assemble(ExperimentConfig.load(yaml), MODS, data).resolvedConfig());
        assertThat(again).isEqualTo(resolved);

        Path json = dir.resolve("resolved.json");
        Files.writeString(json, Json.JSON.writeValueAsString(resolved));
        assertThat(Json.tree(assembler.assemble(ExperimentConfig.load(json), MODS, data).resolvedConfig())).isEqualTo(resolved);
    }

    @Test
    void errorsNameTheFileAndTheKey() {
        assertThatThrownBy(() -> assembler.assemble(ExperimentConfig.parse(YAML.replace("kernels: [5, 3, 3]", "kernals: [5, 3, 3]"), "x.yaml", true), MODS, null))
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("x.yaml: encoders.default.kernals: unknown key")
                .hasMessageContaining("kernels");
        assertThatThrownBy(() -> assembler.assemble(ExperimentConfig.parse(YAML.replace("ratio: 0.4", "ratio: 1.5"), "x.yaml", true), MODS, null))
                .hasMessageStartingWith("x.yaml: masker.ratio: is the fraction hidden");
        assertThatThrownBy(() -> assembler.assemble(ExperimentConfig.parse(YAML.replace("type: spatial", "type: spatail"), "x.yaml", true), MODS, null))
                .hasMessageContaining("x.yaml: masker.type: unknown masker 'spatail'; known maskers: random, spatial, temporal");
        assertThatThrownBy(() -> assembler.assemble(ExperimentConfig.parse(YAML.replace("ratio: 0.4", "ratio: lots"), "x.yaml", true), MODS, null))
                .hasMessageStartingWith("x.yaml: masker.ratio");
        assertThatThrownBy(() -> assembler.assemble(ExperimentConfig.parse(YAML.replace("gyro: {", "gyr: {"), "x.yaml", true), MODS, null))
                .hasMessageContaining("encoders.gyr: no such modality");
        assertThatThrownBy(() -> ExperimentConfig.parse(YAML + "\nepochs: 3\n", "x.yaml", true))
                .hasMessageStartingWith("x.yaml: epochs: unknown key");
        assertThatThrownBy(() -> ExperimentConfig.parse(YAML.replace("batchSize: 16", "batchSize: 1"), "x.yaml", true))
                .hasMessageStartingWith("x.yaml: training.batchSize: must be at least 2");
        assertThatThrownBy(() -> ExperimentConfig.parse("name: [unclosed\nseed: 1\n", "bad.yaml", true))
                .hasMessageStartingWith("bad.yaml:").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ExperimentConfig.parse(YAML.replace("masker: {type: spatial, ratio: 0.4, mode: exact}\n", ""), "x.yaml", true))
                .hasMessageContaining("masker: missing section");
    }

    /** The resolved config's JSON text is what checkpoint and progress keys hash: pinned, key order and number forms included. */
    @Test
    void resolvedConfigJsonTextIsPinned() {
        String json = assembler.assemble(ExperimentConfig.parse(YAML, "test.yaml", true), MODS, null).resolvedConfig().toJson();
        assertThat(json).startsWith("{\"name\":");
        assertThat(java.util.List.of("\"seed\":", "\"normalize\":", "\"data\":", "\"encoders\":", "\"aggregator\":", "\"masker\":",
                "\"objective\":", "\"projector\":", "\"optimizer\":", "\"training\":")).allSatisfy(k -> assertThat(json).contains(k));
        int[] at = java.util.stream.Stream.of("\"seed\":", "\"data\":", "\"encoders\":", "\"aggregator\":", "\"masker\":", "\"objective\":",
                "\"projector\":", "\"optimizer\":", "\"training\":").mapToInt(json::indexOf).toArray();
        assertThat(at).isSorted();
        assertThat(json).doesNotContain("\n").contains("\"type\":\"spatial\"");
    }

    @Test
    void overridesReplaceOneValue() {
        ExperimentConfig cfg = ExperimentConfig.parse(YAML, "t.yaml", true).with("masker.ratio", "0.25").with("training.epochs", "9");
        assertThat(cfg.masker().value("ratio")).isEqualTo(0.25);
        assertThat(cfg.training().epochs()).isEqualTo(9);
        assertThatThrownBy(() -> ExperimentConfig.parse(YAML, "t.yaml", true).with("training.batchSize", "one"))
                .hasMessageContaining("training.batchSize");
    }
}
