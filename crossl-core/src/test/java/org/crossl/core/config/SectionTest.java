package org.crossl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed view of a config section, and how configs and sections are written as JSON. */
class SectionTest {
    private static final String YAML = """
            name: s
            data: {type: uea, path: uea/BasicMotions}
            encoders: {default: {type: tcn}, gyro: {dropout: 0.2}}
            masker: {type: spatial, ratio: 0.4, mode: exact}
            aggregator: {type: mlp}
            objective: {type: vicreg}
            """;

    @Test
    void readsTypeValuesAndPaths() {
        ExperimentConfig c = ExperimentConfig.parse(YAML, "s.yaml", true);
        Section masker = c.masker();
        assertThat(masker.path()).isEqualTo("masker");
        assertThat(masker.type()).isEqualTo("spatial");
        assertThat(masker.value("ratio")).isEqualTo(0.4);
        assertThat(masker.value("nothing")).isNull();
        assertThat(masker.values()).containsExactly(Map.entry("type", "spatial"), Map.entry("ratio", 0.4), Map.entry("mode", "exact"));
        assertThat(c.encoderFor("gyro").path()).isEqualTo("encoders.gyro");
        assertThat(c.encoderFor("acc").path()).isEqualTo("encoders.default");
        assertThat(c.encoderFor("gyro").values()).containsEntry("type", "tcn").containsEntry("dropout", 0.2);
        assertThat(c.evaluation().isEmpty()).isTrue();
        assertThat(masker.with("ratio", "0.25").value("ratio")).isEqualTo(0.25);
        assertThat(masker.value("ratio")).as("with() leaves the section unchanged").isEqualTo(0.4);
    }

    @Test
    void bindsAndResolvesLikeTheProvidersConfigRecords() {
        Section training = Section.parse("training", "{\"batchSize\": 16}");
        TrainingConfig t = training.bind(TrainingConfig.class, "s.yaml");
        assertThat(t.batchSize()).isEqualTo(16);
        Section resolved = Section.of("training", "x", t);
        assertThat(resolved.type()).isEqualTo("x");
        assertThat(resolved.bind(TrainingConfig.class, "again")).isEqualTo(t);
        assertThatThrownBy(() -> Section.parse("training", "{\"batchSise\": 16}").bind(TrainingConfig.class, "s.yaml"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("s.yaml").hasMessageContaining("batchSise");
        assertThatThrownBy(() -> Section.parse("data", "[1, 2]")).isInstanceOf(ConfigError.class).hasMessage("data: must be a mapping, got array");
    }

    @Test
    void configsAndSectionsAreWrittenAsTheirJson() throws Exception {
        ExperimentConfig c = ExperimentConfig.parse(YAML, "s.yaml", true);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("data", c.data());
        record.put("config", c);
        String json = Json.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(record);
        assertThat(json).isEqualTo("{\"data\":" + c.data().toJson() + ",\"config\":" + c.toJson() + "}");
        assertThat(c.data().toJson()).isEqualTo("{\"type\":\"uea\",\"path\":\"uea/BasicMotions\"}");
    }

    @Test
    void aConfigFromPlainValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "plain");
        values.put("data", Map.of("type", "uea"));
        values.put("encoders", Map.of("default", Map.of("type", "tcn")));
        values.put("masker", Map.of("type", "spatial"));
        values.put("aggregator", Map.of("type", "mlp"));
        values.put("objective", Map.of("type", "vicreg"));
        values.put("training", Map.of("epochs", 3));
        ExperimentConfig c = ExperimentConfig.of(values, "code");
        assertThat(c.name()).isEqualTo("plain");
        assertThat(c.training().epochs()).isEqualTo(3);
        assertThat(c.encoderFor("acc").type()).isEqualTo("tcn");
        values.put("epochs", 3);
        assertThatThrownBy(() -> ExperimentConfig.of(values, "code")).hasMessageStartingWith("code: epochs: unknown key");
    }
}
