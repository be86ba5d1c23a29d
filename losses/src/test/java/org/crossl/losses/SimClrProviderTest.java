package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;
import org.junit.jupiter.api.Test;

class SimClrProviderTest {

    @Test
    void isDiscoveredByServiceLoader() {
        assertThat(ServiceLoader.load(ObjectiveProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(SimClrProvider.class);
                    assertThat(p.name()).isEqualTo("simclr");
                    assertThat(p.configType()).isEqualTo(SimClrConfig.class);
                    assertThat(p.description()).isNotBlank();
                });
    }

    @Test
    void createsTheConfiguredObjective() {
        SimClrProvider provider = new SimClrProvider();
        SSLObjective objective = provider.create(SimClrConfig.of(0.3));
        assertThat(objective).isInstanceOf(SimClrObjective.class);
        assertThat(((SimClrObjective) objective).config()).isEqualTo(SimClrConfig.of(0.3));
        assertThat(((SimClrObjective) provider.create(null)).config()).isEqualTo(SimClrConfig.defaults());
        assertThat(objective.termNames()).containsExactly("nt_xent");
    }
}
