package org.crossl.api.nn;

import java.util.List;

/** Something that owns parameters. Names are unique within the component and stable across releases
 * (they key the saved model file). */
public interface Trainable {
    List<Parameter> parameters();

    /** Total number of scalar parameters. */
    default long parameterCount() {
        return parameters().stream().mapToLong(Parameter::length).sum();
    }
}
