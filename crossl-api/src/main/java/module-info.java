/**
 * CroSSL API: the component interfaces ({@link org.crossl.api.Encoder}, {@link org.crossl.api.Masker},
 * {@link org.crossl.api.Aggregator}, {@link org.crossl.api.SSLObjective}), the provider SPI that
 * third-party jars implement, and the data types they exchange.
 */
module org.crossl.api {
    requires transitive nd4j.api;
    requires transitive nd4j.common;

    exports org.crossl.api;
    exports org.crossl.api.data;
    exports org.crossl.api.nn;
    exports org.crossl.api.spi;

    uses org.crossl.api.spi.EncoderProvider;
    uses org.crossl.api.spi.AggregatorProvider;
    uses org.crossl.api.spi.MaskerProvider;
    uses org.crossl.api.spi.ObjectiveProvider;
    uses org.crossl.api.spi.DatasetProvider;
}
