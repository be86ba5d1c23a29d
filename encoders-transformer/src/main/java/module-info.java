/** Transformer encoders; provides {@code transformer}, a patch transformer with sinusoidal positions. */
module org.crossl.encoders.transformer {
    requires org.crossl.api;
    requires org.crossl.nn;

    exports org.crossl.encoders.transformer;

    provides org.crossl.api.spi.EncoderProvider with org.crossl.encoders.transformer.TransformerProvider;
}
