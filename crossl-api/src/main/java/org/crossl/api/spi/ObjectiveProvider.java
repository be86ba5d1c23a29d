package org.crossl.api.spi;

import org.crossl.api.SSLObjective;

/** Builds a self-supervised {@link SSLObjective}. */
public interface ObjectiveProvider<C> extends Provider<C> {
    SSLObjective create(C config);
}
