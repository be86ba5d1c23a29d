package org.crossl.datasets.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.split.SplitConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Defaults and validation of the {@code type: npy} section; every error names its key. */
class NpyConfigTest {

    private static void fails(Executable e, String key, String message) {
        assertThatThrownBy(e::execute).isInstanceOf(ConfigException.class)
                .satisfies(x -> assertThat(((ConfigException) x).key()).isEqualTo(key))
                .hasMessageContaining(message);
    }

    private static NpyConfig names(String x, String labels, String subjects, String presence) {
        return new NpyConfig("d.npz", x, labels, subjects, presence, null, null, null, null, null);
    }

    private static NpyConfig modalities(NpyConfig.Modality... m) {
        return new NpyConfig("d.npz", null, null, null, null, null, List.of(m), null, null, null);
    }

    private static NpyConfig files(NpyConfig.SplitFiles f) {
        return new NpyConfig("d.npz", null, null, null, null, null, null, null, null, f);
    }

    @Test
    void defaults() {
        NpyConfig c = NpyConfig.of("d.npz");
        assertThat(c.x()).isEqualTo("X");
        assertThat(c.labels()).isNull();
        assertThat(c.labelsKey()).isEqualTo("y");
        assertThat(c.subjectsKey()).isEqualTo("subjects");
        assertThat(c.presenceKey()).isEqualTo("presence");
        assertThat(c.samplingRateHz()).isEqualTo(1.0);
        assertThat(c.split()).isEqualTo(SplitConfig.defaults());
        assertThat(c.files()).isNull();
        assertThat(c.modalities()).isNull();
        NpyConfig m = modalities(new NpyConfig.Modality("acc", List.of(0, 1, 2), null, null));
        assertThat(m.modalities().get(0).device()).isEqualTo("acc");
        assertThat(m.modalities().get(0).samplingRateHz()).isEqualTo(1.0);
        NpyConfig f = files(new NpyConfig.SplitFiles("{name}_train", null, "test/{name}"));
        assertThat(f.split()).isNull();
        assertThat(NpyConfig.SplitFiles.resolve("{name}_train", "x")).isEqualTo("x_train");
        assertThat(NpyConfig.SplitFiles.resolve("test/{name}", "y")).isEqualTo("test/y");
    }

    @Test
    void arrayNames() {
        fails(() -> new NpyConfig(" ", null, null, null, null, null, null, null, null, null), "path", "required");
        fails(() -> names("", null, null, null), "x", "must name an array");
        fails(() -> names(null, " ", null, null), "labels", "must name an array");
        fails(() -> names(null, "X", null, null), "labels", "array 'X', is already used as x");
        fails(() -> names("y", null, null, null), "labels", "its default, array 'y', is already used as x");
        fails(() -> names(null, "a", "a", null), "subjects", "array 'a', is already used as labels");
        fails(() -> names(null, null, null, "subjects"), "presence", "array 'subjects', is already used as subjects");
    }

    @Test
    void classNamesAndRates() {
        fails(() -> new NpyConfig("d.npz", null, null, null, null, List.of("a", "a"), null, null, null, null), "classNames",
                "class 'a' is named twice");
        fails(() -> new NpyConfig("d.npz", null, null, null, null, List.of("a", " "), null, null, null, null), "classNames",
                "must not be empty");
        fails(() -> new NpyConfig("d.npz", null, null, null, null, null, null, 0.0, null, null), "samplingRateHz",
                "must be a positive number");
    }

    @Test
    void modalityGroups() {
        fails(() -> new NpyConfig("d.npz", null, null, null, null, null, List.of(), null, null, null), "modalities",
                "at least one modality");
        fails(() -> modalities(new NpyConfig.Modality(null, List.of(0), null, null)), "modalities[0].name", "required");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(), null, null)), "modalities[0].channels", "required");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(0), null, null), new NpyConfig.Modality("a", List.of(1), null, null)),
                "modalities[1].name", "modality 'a' is defined twice");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(-1), null, null)), "modalities[0].channels", "0-based indices, got -1");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(1, 1), null, null)), "modalities[0].channels", "channel 1 is listed twice");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(0, 1), null, null), new NpyConfig.Modality("b", List.of(1), null, null)),
                "modalities[1].channels", "channel 1 is listed in modality 'a' too");
        fails(() -> modalities(new NpyConfig.Modality("a", List.of(0), null, -5.0)), "modalities[0].samplingRateHz", "positive");
    }

    @Test
    void preSeparatedFiles() {
        fails(() -> new NpyConfig("d.npz", null, null, null, null, null, null, null, SplitConfig.defaults(),
                new NpyConfig.SplitFiles("{name}_train", null, null)), "files", "give either files");
        fails(() -> files(new NpyConfig.SplitFiles(null, "{name}_val", null)), "files.train", "required");
        fails(() -> files(new NpyConfig.SplitFiles("{name}_train", "val", null)), "files.validation", "must contain {name}");
        fails(() -> files(new NpyConfig.SplitFiles("{name}_train", null, "{name}_train")), "files.test", "used by two splits");
    }
}
