package org.crossl.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.crossl.api.spi.DatasetProvider;
import org.crossl.datasets.hugadb.HugadbConfig;
import org.crossl.datasets.uea.UeaConfig;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void bothProvidersAreFoundByServiceLoader() {
        var byName = new java.util.HashMap<String, DatasetProvider<?>>();
        for (DatasetProvider<?> p : ServiceLoader.load(DatasetProvider.class)) {
            byName.put(p.name(), p);
        }
        assertThat(byName).containsKeys("uea", "hugadb");
        assertThat(byName.get("uea").configType()).isEqualTo(UeaConfig.class);
        assertThat(byName.get("hugadb").configType()).isEqualTo(HugadbConfig.class);
        assertThat(byName.get("uea").description()).isNotBlank();
        assertThat(byName.get("hugadb").description()).isNotBlank();
    }
}
