package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimClrConfigTest {

    @Test
    void defaultTemperatureIsOneTenth() {
        assertThat(SimClrConfig.defaults()).isEqualTo(new SimClrConfig(0.1));
        assertThat(SimClrConfig.defaults().temperature()).isEqualTo(0.1);
        assertThat(SimClrConfig.of(0.5).temperature()).isEqualTo(0.5);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void invalidTemperatureNamesTheKey(double temperature) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new SimClrConfig(temperature));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo("temperature");
        assertThat(e.getMessage()).startsWith("temperature: ");
    }
}
