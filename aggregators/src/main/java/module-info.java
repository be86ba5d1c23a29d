/**
 * Cross-modal aggregators: {@code mlp}, the CroSSL reference aggregator; {@code attention}, a
 * transformer over the visible modality tokens; {@code mean}, the masked mean of the visible
 * modalities.
 */
module org.crossl.aggregators {
    requires org.crossl.api;
    requires org.crossl.nn;

    exports org.crossl.aggregators;

    provides org.crossl.api.spi.AggregatorProvider with org.crossl.aggregators.MlpProvider,
            org.crossl.aggregators.AttentionProvider, org.crossl.aggregators.MeanProvider;
}
