package org.crossl.core;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The one lookup by name behind {@code --engine} and {@code --export}: among the implementations a
 * {@link ServiceLoader} finds (created by the caller, whose module declares {@code uses}), the one
 * called {@code wanted}, or an error listing the names on the class path. {@code spark} and {@code parquet} live in crossl-spark, and their
 * error says how to add it.
 */
public final class Services {
    private Services() {
    }

    /**
     * @param flag    the option the name came from ({@code --engine}, {@code --export})
     * @param context added after the name in the error (which command, what happens without the option)
     * @param known   names that are always there (the built-in local engine), listed first
     * @param inSpark the name crossl-spark provides ({@code spark}, {@code parquet}); the error for it says how to add the module
     */
    public static <T> T named(ServiceLoader<T> loaded, Function<T, String> name, String flag, String wanted, String context,
                              List<String> known, String inSpark) {
        List<String> names = new ArrayList<>(known);
        for (T t : loaded) {
            if (name.apply(t).equals(wanted)) {
                return t;
            }
            names.add(name.apply(t));
        }
        throw new IllegalArgumentException("unknown " + flag + " '" + wanted + "'" + context + "; on the class path: " + names
                + (wanted.equals(inSpark) ? "; it is in the crossl-spark module: the ./crossl launcher adds it for " + flag + " " + wanted
                + ", or put crossl-spark's jar, its lib/ and spark-lib/ folders on the class path" : ""));
    }
}
