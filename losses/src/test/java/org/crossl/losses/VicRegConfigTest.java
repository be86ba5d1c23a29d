package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VicRegConfigTest {

    @Test
    void defaultsAreTheReferencePreset() {
        VicRegConfig c = VicRegConfig.defaults();
        assertThat(c).isEqualTo(new VicRegConfig(10.0, 10.0, 100.0, 1e-4, "reference"));
        assertThat(c.preset()).isEqualTo("reference");
    }

    @Test
    void paperPresetIs25_25_1() {
        assertThat(VicRegConfig.preset("paper")).isEqualTo(new VicRegConfig(25.0, 25.0, 1.0, 1e-4, "paper"));
        assertThat(VicRegConfig.preset(" Paper ").preset()).isEqualTo("paper");
    }

    @Test
    void explicitCoefficientsOverrideThePreset() {
        VicRegConfig c = new VicRegConfig(null, 0.0, 5.0, 1e-3, "paper");
        assertThat(c.invariance()).isEqualTo(25.0);
        assertThat(c.variance()).isEqualTo(0.0);
        assertThat(c.covariance()).isEqualTo(5.0);
        assertThat(c.epsilon()).isEqualTo(1e-3);
    }

    @ParameterizedTest
    @CsvSource({
        "invariance, -1, , , ",
        "invariance, NaN, , , ",
        "variance, , Infinity, , ",
        "variance, , -0.5, , ",
        "covariance, , , -1e-9, ",
        "covariance, , , NaN, ",
        "epsilon, , , , 0",
        "epsilon, , , , -1e-4",
        "epsilon, , , , NaN",
        "epsilon, , , , Infinity"})
    void invalidNumbersNameTheirKey(String key, Double invariance, Double variance, Double covariance, Double epsilon) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new VicRegConfig(invariance, variance, covariance, epsilon, null));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ");
    }

    @Test
    void unknownPresetNamesTheKeyAndTheKnownPresets() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> VicRegConfig.preset("lightly"));
        assertThat(e.key()).isEqualTo("preset");
        assertThat(e.reason()).contains("lightly").contains("reference").contains("paper");
    }
}
