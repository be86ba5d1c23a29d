package org.crossl.testkit;

import java.util.stream.Stream;
import org.crossl.core.masking.MaskerProviders;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The built-in maskers (crossl-core) pass the kit in both modes and at extreme ratios. */
class BuiltInMaskersConformanceTest {
    @TestFactory
    Stream<DynamicTest> random() {
        return Stream.of("{}", "{ratio: 0.9, mode: exact}", "{ratio: 0.0}")
                .flatMap(c -> Conformance.masker(new MaskerProviders.Random()).config(c).tests());
    }

    @TestFactory
    Stream<DynamicTest> spatial() {
        return Stream.of("{}", "{ratio: 0.75, mode: exact}", "{ratio: 0.5, mode: bernoulli}")
                .flatMap(c -> Conformance.masker(new MaskerProviders.Spatial()).config(c).tests());
    }

    @TestFactory
    Stream<DynamicTest> temporal() {
        return Stream.of("{}", "{ratio: 0.8, segments: 3}")
                .flatMap(c -> Conformance.masker(new MaskerProviders.Temporal()).config(c).tests());
    }
}
