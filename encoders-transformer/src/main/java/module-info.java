/**
 * Transformer encoders. A skeleton for now: the {@code transformer} encoder arrives with the plugins
 * issue; the module exists so the build and the SPI wiring are in place.
 */
module org.crossl.encoders.transformer {
    requires org.crossl.api;
    requires org.crossl.nn;
}
