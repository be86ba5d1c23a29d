package org.crossl.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowBatch;
import org.crossl.core.Crossl;
import org.crossl.core.config.ExperimentConfig;
import org.crossl.core.config.Json;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model saved by release 0.1 (format version 1) is kept in {@code src/test/resources/fixtures/model-v1}
 * with the embeddings it gave: every later version must still load it and give the same embeddings.
 * To write the fixture again (only when the format changes on purpose, with a new version number):
 * {@code mvn test -pl crossl-core -Dtest=ModelFixtureTest -Dcrossl.writeFixture=crossl-core/src/test/resources/fixtures/model-v1}.
 */
class ModelFixtureTest {
    static final List<ModalitySpec> MODS = List.of(new ModalitySpec("acc", List.of("x", "y", "z"), 10, "wrist"),
            new ModalitySpec("gyro", List.of("x", "y", "z"), 10, "ankle"));
    static final String CONFIG = """
            name: fixture
            seed: 7
            data: {type: none}
            encoders: {default: {type: tcn, codeSize: 8, widths: [6, 8], kernels: [5, 3]}}
            masker: {type: spatial}
            aggregator: {type: mlp, hidden: [12], output: 6}
            objective: {type: vicreg, preset: paper}
            """;

    /** Three windows of 24 samples, from closed-form signals (no random generator whose algorithm could change). */
    static WindowBatch input() {
        List<INDArray> xs = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            float[] v = new float[3 * 24 * 3];
            for (int b = 0; b < 3; b++) {
                for (int t = 0; t < 24; t++) {
                    for (int c = 0; c < 3; c++) {
                        v[(b * 24 + t) * 3 + c] = (float) Math.sin(0.3 * t + 0.7 * c + 1.1 * b + 2.0 * m);
                    }
                }
            }
            xs.add(Nd4j.create(v, new long[]{3, 24, 3}, 'c'));
        }
        INDArray presence = Nd4j.createFromArray(new float[][]{{1, 1}, {1, 0}, {0, 1}});
        return new WindowBatch(MODS, xs, presence, new int[]{-1, -1, -1});
    }

    @Test
    void theVersion1FixtureStillLoadsAndGivesTheSameEmbeddings() throws Exception {
        String write = System.getProperty("crossl.writeFixture");
        if (write != null && !write.isBlank()) {
            Path dir = Path.of(write).toAbsolutePath();
            CrosslModel model = Crossl.assembler().assemble(ExperimentConfig.parse(CONFIG, "fixture.yaml", true), MODS, null).model();
            ModelIO.save(model, dir);
            Json.JSON.writeValue(dir.resolve("expected-embeddings.json").toFile(), model.embed(input()).toDoubleMatrix());
        }
        Path dir = Path.of(ModelFixtureTest.class.getResource("/fixtures/model-v1/model.json").toURI()).getParent();
        JsonNode json = Json.JSON.readTree(dir.resolve("model.json").toFile());
        assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
        CrosslModel loaded = ModelIO.load(dir, Crossl.assembler());
        double[][] expected = Json.JSON.readValue(Files.readString(dir.resolve("expected-embeddings.json")), double[][].class);
        double[][] actual = loaded.embed(input()).castTo(DataType.DOUBLE).toDoubleMatrix();
        assertThat(actual.length).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
