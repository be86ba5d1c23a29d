/**
 * Self-supervised objectives for CroSSL: VICReg, computed exactly as the CroSSL reference does, with
 * analytic gradients. The package is exported so that the core can bind {@link
 * org.crossl.losses.VicRegConfig} and tests or users can build the objective directly.
 */
module org.crossl.losses {
    requires transitive org.crossl.api;

    exports org.crossl.losses;

    provides org.crossl.api.spi.ObjectiveProvider with org.crossl.losses.VicRegProvider;
}
