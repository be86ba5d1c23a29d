package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;
import org.junit.jupiter.api.Test;

class BarlowProviderTest {

    @Test
    void isDiscoveredByServiceLoader() {
        assertThat(ServiceLoader.load(ObjectiveProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(BarlowProvider.class);
                    assertThat(p.name()).isEqualTo("barlow");
                    assertThat(p.configType()).isEqualTo(BarlowConfig.class);
                    assertThat(p.description()).isNotBlank();
                });
    }

    @Test
    void createsTheConfiguredObjective() {
        BarlowProvider provider = new BarlowProvider();
        SSLObjective objective = provider.create(BarlowConfig.of(0.02));
        assertThat(objective).isInstanceOf(BarlowObjective.class);
        assertThat(((BarlowObjective) objective).config()).isEqualTo(BarlowConfig.of(0.02));
        assertThat(((BarlowObjective) provider.create(null)).config()).isEqualTo(BarlowConfig.defaults());
        assertThat(objective.termNames()).containsExactly("invariance", "redundancy");
    }
}
