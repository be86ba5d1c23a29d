package org.crossl.datasets.split;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.crossl.api.spi.ConfigException;

/**
 * The {@code split:} section shared by the dataset readers: which subjects train, validate and
 * test. Exactly one of three forms:
 *
 * <ul>
 *   <li><b>explicit</b>: {@code train}, {@code validation}, {@code test} subject lists; a list
 *       left out is "every subject not named elsewhere" for {@code train}, drawn for
 *       {@code validation} (see below) and empty for {@code test};</li>
 *   <li><b>k folds</b>: {@code folds: k, fold: i} (0-based); the subjects, sorted and shuffled with
 *       the experiment's seed, are cut into k folds of sizes differing by at most one, fold i is
 *       the test split;</li>
 *   <li><b>leave one subject out</b>: {@code leaveOneSubjectOut: id}; that subject is the test
 *       split.</li>
 * </ul>
 *
 * <p>When {@code validation} is not listed, {@code validationCount} subjects (default:
 * {@code round(0.15 · n)} of the n remaining subjects, at least 1 when n ≥ 3, else 0) are drawn
 * with the seed from the non-test subjects. Every key is optional; an empty section means: all
 * subjects train except a drawn validation share, no test.
 *
 * @param train              subjects of the training split
 * @param validation         subjects of the validation split (early stopping, model selection)
 * @param test               subjects of the test split
 * @param folds              number of folds k ≥ 2 (with {@code fold})
 * @param fold               the test fold, 0 ≤ fold &lt; k
 * @param leaveOneSubjectOut the single test subject
 * @param validationCount    how many subjects to draw for validation when {@code validation} is not listed
 */
public record SplitConfig(List<Integer> train, List<Integer> validation, List<Integer> test, Integer folds, Integer fold,
                          Integer leaveOneSubjectOut, Integer validationCount) {

    public SplitConfig {
        train = ids("train", train);
        validation = ids("validation", validation);
        test = ids("test", test);
        boolean explicit = train != null || test != null;
        boolean kfold = folds != null || fold != null;
        boolean loso = leaveOneSubjectOut != null;
        int forms = (explicit ? 1 : 0) + (kfold ? 1 : 0) + (loso ? 1 : 0);
        if (forms > 1) {
            throw new ConfigException(kfold ? "folds" : "leaveOneSubjectOut", "give either train/test lists, folds + fold, or "
                    + "leaveOneSubjectOut, not several");
        }
        if (kfold) {
            if (folds == null || fold == null) {
                throw new ConfigException(folds == null ? "folds" : "fold", "k-fold splitting needs both folds (k ≥ 2) and fold (0-based test fold)");
            }
            if (folds < 2) {
                throw new ConfigException("folds", "must be at least 2, got " + folds);
            }
            if (fold < 0 || fold >= folds) {
                throw new ConfigException("fold", "must be in 0.." + (folds - 1) + " for folds: " + folds + ", got " + fold);
            }
        }
        if (validationCount != null) {
            if (validationCount < 0) {
                throw new ConfigException("validationCount", "must be 0 or more, got " + validationCount);
            }
            if (validation != null) {
                throw new ConfigException("validationCount", "give either validation (a list) or validationCount, not both");
            }
        }
        disjoint("validation", validation, "train", train);
        disjoint("test", test, "train", train);
        disjoint("test", test, "validation", validation);
        if (loso && validation != null && validation.contains(leaveOneSubjectOut)) {
            throw new ConfigException("validation", "subject " + leaveOneSubjectOut + " is the leaveOneSubjectOut test subject");
        }
    }

    /** The explicit form: these three lists. */
    public static SplitConfig explicit(List<Integer> train, List<Integer> validation, List<Integer> test) {
        return new SplitConfig(train, validation, test, null, null, null, null);
    }

    /** An empty section: every subject trains, a drawn share validates, no test. */
    public static SplitConfig defaults() {
        return new SplitConfig(null, null, null, null, null, null, null);
    }

    /** Which form this is: {@code explicit}, {@code folds} or {@code leaveOneSubjectOut}. */
    public String mode() {
        if (folds != null) {
            return "folds";
        }
        if (leaveOneSubjectOut != null) {
            return "leaveOneSubjectOut";
        }
        return "explicit";
    }

    private static List<Integer> ids(String key, List<Integer> given) {
        if (given == null) {
            return null;
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer s : given) {
            if (s == null) {
                throw new ConfigException(key, "subject ids are integers, got null");
            }
            if (!seen.add(s)) {
                throw new ConfigException(key, "subject " + s + " is listed twice");
            }
        }
        return List.copyOf(given);
    }

    private static void disjoint(String key, List<Integer> a, String otherKey, List<Integer> b) {
        if (a == null || b == null) {
            return;
        }
        for (Integer s : a) {
            if (b.contains(s)) {
                throw new ConfigException(key, "subject " + s + " is also in " + otherKey + "; splits must not share subjects");
            }
        }
    }
}
