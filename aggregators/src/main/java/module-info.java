/** Cross-modal aggregators; provides {@code mlp}, the CroSSL reference aggregator. */
module org.crossl.aggregators {
    requires org.crossl.api;
    requires org.crossl.nn;

    exports org.crossl.aggregators;

    provides org.crossl.api.spi.AggregatorProvider with org.crossl.aggregators.MlpProvider;
}
