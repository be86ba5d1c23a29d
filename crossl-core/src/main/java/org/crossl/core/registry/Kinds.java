package org.crossl.core.registry;

import java.lang.annotation.Annotation;

/** Instances of {@link Kind}, for binding keys. */
final class Kinds {
    private Kinds() {
    }

    static Kind of(ComponentKind kind) {
        return new Kind() {
            @Override
            public ComponentKind value() {
                return kind;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return Kind.class;
            }

            @Override
            public int hashCode() {
                return (127 * "value".hashCode()) ^ kind.hashCode();
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Kind k && k.value() == kind;
            }

            @Override
            public String toString() {
                return "@" + Kind.class.getName() + "(" + kind + ")";
            }
        };
    }
}
