package org.crossl.api.spi;

import org.crossl.api.Masker;

/** Builds a latent {@link Masker}. */
public interface MaskerProvider<C> extends Provider<C> {
    /** The masker for {@code config}, whatever the data. */
    Masker create(C config);

    /**
     * The masker for data with these {@code modalities} (in the model's order). A masker whose
     * config cannot work with them (a ratio that would hide every modality, a modality it names
     * that the data lacks) throws {@link ConfigException} naming the key, and the user gets
     * {@code masker.<key>: <reason>} before training starts. The default ignores the modalities.
     */
    default Masker create(java.util.List<org.crossl.api.data.ModalitySpec> modalities, C config) {
        return create(config);
    }
}
