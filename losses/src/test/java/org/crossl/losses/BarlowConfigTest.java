package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.crossl.api.spi.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BarlowConfigTest {

    @Test
    void defaultsAreThePapers() {
        assertThat(BarlowConfig.defaults()).isEqualTo(new BarlowConfig(5e-3, 1.0, 1e-5));
        assertThat(BarlowConfig.of(0.1)).isEqualTo(new BarlowConfig(0.1, 1.0, 1e-5));
        assertThat(new BarlowConfig(0.0, null, null).lambda()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "lambda, -1, , ",
        "lambda, NaN, , ",
        "lambda, Infinity, , ",
        "scale, , 0, ",
        "scale, , -2, ",
        "scale, , NaN, ",
        "scale, , Infinity, ",
        "epsilon, , , 0",
        "epsilon, , , -1e-5",
        "epsilon, , , NaN",
        "epsilon, , , Infinity"})
    void invalidNumbersNameTheirKey(String key, Double lambda, Double scale, Double epsilon) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new BarlowConfig(lambda, scale, epsilon));
        assertThat(e).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ");
    }
}
