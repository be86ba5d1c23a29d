package org.crossl.core.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …?" for mistyped keys and names: the closest known one by edit distance, if close enough. */
public final class Suggestions {
    private Suggestions() {
    }

    /** {@code "; did you mean 'kernels'?"}, or {@code ""} when nothing known is within a third of the word's length (at least 1, at most 3 edits). */
    public static String didYouMean(String typed, Collection<?> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object k : known) {
            String s = String.valueOf(k);
            int d = distance(typed.toLowerCase(Locale.ROOT), s.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = s;
            }
        }
        int allowed = Math.min(3, Math.max(1, typed.length() / 3));
        return best != null && bestDistance <= allowed ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
