/**
 * Conformance checks for CroSSL components. Plugin authors add this module in test scope and run
 * {@code Conformance.encoder(new MyProvider()).tests()} from a JUnit {@code @TestFactory}.
 */
module org.crossl.testkit {
    requires transitive org.crossl.core;
    requires org.crossl.nn;
    requires transitive org.junit.jupiter.api;

    exports org.crossl.testkit;

    uses org.crossl.api.spi.EncoderProvider;
    uses org.crossl.api.spi.AggregatorProvider;
    uses org.crossl.api.spi.ObjectiveProvider;
    uses org.crossl.api.spi.MaskerProvider;
}
