/**
 * Self-supervised objectives for CroSSL, with analytic gradients: VICReg, computed exactly as the
 * CroSSL reference does, SimCLR's NT-Xent and Barlow Twins. The package is exported so that the core can
 * bind {@link org.crossl.losses.VicRegConfig}, {@link org.crossl.losses.SimClrConfig} and
 * {@link org.crossl.losses.BarlowConfig} and tests or users
 * can build the objectives directly.
 */
module org.crossl.losses {
    requires transitive org.crossl.api;

    exports org.crossl.losses;

    provides org.crossl.api.spi.ObjectiveProvider with org.crossl.losses.VicRegProvider, org.crossl.losses.SimClrProvider,
            org.crossl.losses.BarlowProvider;
}
