package org.crossl.core.masking;

import org.crossl.api.Masker;
import org.crossl.api.spi.MaskerProvider;

/** The built-in maskers' providers: {@code random}, {@code spatial}, {@code temporal}. */
public final class MaskerProviders {
    private MaskerProviders() {
    }

    public static final class Random implements MaskerProvider<MaskerConfig> {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public Class<MaskerConfig> configType() {
            return MaskerConfig.class;
        }

        @Override
        public String description() {
            return "hides individual latent elements of the modality embeddings";
        }

        @Override
        public Masker create(MaskerConfig config) {
            return new RandomMasker(config);
        }
    }

    public static final class Spatial implements MaskerProvider<MaskerConfig> {
        @Override
        public String name() {
            return "spatial";
        }

        @Override
        public Class<MaskerConfig> configType() {
            return MaskerConfig.class;
        }

        @Override
        public String description() {
            return "hides whole modalities, never all of a sample's present ones";
        }

        @Override
        public Masker create(MaskerConfig config) {
            return new SpatialMasker(config);
        }

        /** Refuses, naming masker.ratio, an exact ratio that would hide every one of the data's modalities. */
        @Override
        public Masker create(java.util.List<org.crossl.api.data.ModalitySpec> modalities, MaskerConfig config) {
            SpatialMasker masker = new SpatialMasker(config);
            String problem = masker.problemWith(modalities.size());
            if (problem != null) {
                throw new org.crossl.api.spi.ConfigException("ratio", problem);
            }
            return masker;
        }
    }

    public static final class Temporal implements MaskerProvider<MaskerConfig> {
        @Override
        public String name() {
            return "temporal";
        }

        @Override
        public Class<MaskerConfig> configType() {
            return MaskerConfig.class;
        }

        @Override
        public String description() {
            return "hides contiguous spans of the latent time axis, same relative time in every modality";
        }

        @Override
        public Masker create(MaskerConfig config) {
            return new TemporalMasker(config);
        }
    }
}
