package org.crossl.api.spi;

import org.crossl.api.Masker;

/** Builds a latent {@link Masker}. */
public interface MaskerProvider<C> extends Provider<C> {
    Masker create(C config);
}
