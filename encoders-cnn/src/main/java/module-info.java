/** Convolutional encoders; provides {@code tcn}, the CroSSL reference encoder. */
module org.crossl.encoders.cnn {
    requires org.crossl.api;
    requires org.crossl.nn;

    exports org.crossl.encoders.cnn;

    provides org.crossl.api.spi.EncoderProvider with org.crossl.encoders.cnn.TcnProvider;
}
