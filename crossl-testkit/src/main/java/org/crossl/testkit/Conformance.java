package org.crossl.testkit;

import org.crossl.api.spi.AggregatorProvider;
import org.crossl.api.spi.EncoderProvider;
import org.crossl.api.spi.MaskerProvider;
import org.crossl.api.spi.ObjectiveProvider;

/**
 * The conformance checks every CroSSL component must pass, one kit per kind. Use from a JUnit 5
 * test:
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> conformance() {
 *     return Conformance.encoder(new MyEncoderProvider())
 *             .config("{width: 32}")             // the section a config file would hold, without type
 *             .tinyConfig("{width: 4}")          // a small instance for the float64 gradient check
 *             .tests();
 * }
 * }</pre>
 * or call {@code assertConforms()} for one assertion that lists every failed check.
 */
public final class Conformance {
    private Conformance() {
    }

    public static EncoderKit encoder(EncoderProvider<?> provider) {
        return new EncoderKit(provider);
    }

    public static AggregatorKit aggregator(AggregatorProvider<?> provider) {
        return new AggregatorKit(provider);
    }

    public static ObjectiveKit objective(ObjectiveProvider<?> provider) {
        return new ObjectiveKit(provider);
    }

    public static MaskerKit masker(MaskerProvider<?> provider) {
        return new MaskerKit(provider);
    }
}
