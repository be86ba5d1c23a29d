/**
 * An example CroSSL plugin: the {@code dwconv} encoder. Its hand-written variant needs nothing but
 * the CroSSL API; its {@code backward: autodiff} variant uses crossl-nn's SameDiff adapter.
 */
module org.example.dwconv {
    requires org.crossl.api;
    requires org.crossl.nn;

    exports org.example.dwconv; // the config record is bound by Jackson through its public constructor

    provides org.crossl.api.spi.EncoderProvider with org.example.dwconv.DwConvProvider;
}
