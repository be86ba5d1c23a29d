/** An example CroSSL plugin: the {@code dwconv} encoder. It needs nothing but the CroSSL API. */
module org.example.dwconv {
    requires org.crossl.api;

    exports org.example.dwconv; // the config record is bound by Jackson through its public constructor

    provides org.crossl.api.spi.EncoderProvider with org.example.dwconv.DwConvProvider;
}
