package org.crossl.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.crossl.api.SSLObjective;
import org.crossl.api.spi.ObjectiveProvider;
import org.junit.jupiter.api.Test;

class VicRegProviderTest {

    @Test
    void isDiscoveredByServiceLoader() {
        assertThat(ServiceLoader.load(ObjectiveProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(VicRegProvider.class);
                    assertThat(p.name()).isEqualTo("vicreg");
                    assertThat(p.configType()).isEqualTo(VicRegConfig.class);
                    assertThat(p.description()).isNotBlank();
                });
    }

    @Test
    void createsTheConfiguredObjective() {
        VicRegProvider provider = new VicRegProvider();
        SSLObjective paper = provider.create(VicRegConfig.preset("paper"));
        assertThat(paper).isInstanceOf(VicRegObjective.class);
        assertThat(((VicRegObjective) paper).config()).isEqualTo(VicRegConfig.preset("paper"));
        assertThat(((VicRegObjective) provider.create(null)).config()).isEqualTo(VicRegConfig.defaults());
        assertThat(paper.termNames()).containsExactly("invariance", "variance", "covariance");
    }
}
