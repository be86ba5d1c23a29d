package org.crossl.datasets.split;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.crossl.api.spi.ConfigException;

/**
 * Subjects of the three splits, disjoint and sorted.
 *
 * @param train      subjects whose windows pretrain (unlabelled) and train downstream models
 * @param validation subjects for early stopping and model selection
 * @param test       subjects touched once, for final figures
 * @param mode       how the split was made ({@link SplitConfig#mode()})
 */
public record SubjectSplit(List<Integer> train, List<Integer> validation, List<Integer> test, String mode) {

    /** Index of the training split in {@link #splits()}. */
    public static final int TRAIN = 0;
    public static final int VALIDATION = 1;
    public static final int TEST = 2;
    public static final List<String> NAMES = List.of("train", "validation", "test");

    public SubjectSplit {
        train = sorted(train);
        validation = sorted(validation);
        test = sorted(test);
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> l : List.of(train, validation, test)) {
            for (Integer s : l) {
                if (!seen.add(s)) {
                    throw new IllegalArgumentException("subject " + s + " is in two splits");
                }
            }
        }
    }

    /** The three lists in the order train, validation, test. */
    public List<List<Integer>> splits() {
        return List.of(train, validation, test);
    }

    /** 0, 1 or 2 for a subject of train, validation or test; -1 for a subject in none. */
    public int splitOf(int subject) {
        if (Collections.binarySearch(train, subject) >= 0) {
            return TRAIN;
        }
        if (Collections.binarySearch(validation, subject) >= 0) {
            return VALIDATION;
        }
        return Collections.binarySearch(test, subject) >= 0 ? TEST : -1;
    }

    /** The subjects per split, for a dataset's description. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("train", train);
        m.put("validation", validation);
        m.put("test", test);
        return m;
    }

    /**
     * Applies {@code config} to the subjects that have data.
     *
     * @param keyPrefix prefix of the config keys in error messages (e.g. {@code split.})
     * @throws ConfigException when the config names a subject without data, or leaves no
     *                         training subject
     */
    public static SubjectSplit resolve(SplitConfig config, Collection<Integer> available, long seed, String keyPrefix) {
        TreeSet<Integer> all = new TreeSet<>(available);
        if (all.isEmpty()) {
            throw new ConfigException(keyPrefix + "train", "the data has no subjects at all");
        }
        known(keyPrefix + "train", config.train(), all);
        known(keyPrefix + "validation", config.validation(), all);
        known(keyPrefix + "test", config.test(), all);
        Random random = new Random(seed ^ 0x5EED_5B11L);
        List<Integer> test;
        switch (config.mode()) {
            case "folds" -> {
                List<Integer> order = new ArrayList<>(all);
                Collections.shuffle(order, random);
                int k = config.folds();
                if (k > order.size()) {
                    throw new ConfigException(keyPrefix + "folds", k + " folds but only " + order.size() + " subjects " + all);
                }
                int from = (int) ((long) config.fold() * order.size() / k);
                int to = (int) ((long) (config.fold() + 1) * order.size() / k);
                test = new ArrayList<>(order.subList(from, to));
            }
            case "leaveOneSubjectOut" -> {
                if (!all.contains(config.leaveOneSubjectOut())) {
                    throw new ConfigException(keyPrefix + "leaveOneSubjectOut", "subject " + config.leaveOneSubjectOut()
                            + " has no data; subjects with data: " + all);
                }
                test = List.of(config.leaveOneSubjectOut());
            }
            default -> test = config.test() == null ? List.of() : config.test();
        }
        Set<Integer> taken = new HashSet<>(test);
        List<Integer> validation;
        if (config.validation() != null) {
            validation = config.validation();
        } else {
            List<Integer> pool = new ArrayList<>();
            for (Integer s : all) {
                if (!taken.contains(s) && (config.train() == null || !config.train().contains(s))) {
                    pool.add(s);
                }
            }
            // explicit train list: the validation subjects come from the unnamed rest only
            int remaining = config.train() == null ? pool.size() : all.size() - taken.size();
            int count = config.validationCount() != null ? config.validationCount()
                    : remaining >= 3 ? Math.max(1, (int) Math.round(0.15 * remaining)) : 0;
            if (count > pool.size() - (config.train() == null ? 1 : 0)) {
                if (config.validationCount() != null) {
                    throw new ConfigException(keyPrefix + "validationCount", count + " validation subjects asked for, but only "
                            + pool.size() + " subjects are free " + pool + (config.train() == null ? " and one must train" : ""));
                }
                count = Math.max(0, pool.size() - (config.train() == null ? 1 : 0));
            }
            Collections.shuffle(pool, random);
            validation = new ArrayList<>(pool.subList(0, count));
        }
        for (Integer s : validation) {
            if (taken.contains(s)) {
                throw new ConfigException(keyPrefix + "validation", "subject " + s + " is also a test subject");
            }
        }
        taken.addAll(validation);
        List<Integer> train;
        if (config.train() != null) {
            train = config.train();
        } else {
            train = new ArrayList<>();
            for (Integer s : all) {
                if (!taken.contains(s)) {
                    train.add(s);
                }
            }
        }
        if (train.isEmpty()) {
            throw new ConfigException(keyPrefix + "train", "no subject is left for training (subjects with data: " + all + ")");
        }
        return new SubjectSplit(train, validation, test, config.mode());
    }

    private static void known(String key, List<Integer> ids, Set<Integer> all) {
        if (ids == null) {
            return;
        }
        List<Integer> missing = ids.stream().filter(s -> !all.contains(s)).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(key, "no data for subject" + (missing.size() == 1 ? " " : "s ") + missing
                    + "; subjects with data: " + all);
        }
    }

    private static List<Integer> sorted(List<Integer> l) {
        List<Integer> c = new ArrayList<>(l);
        Collections.sort(c);
        return List.copyOf(c);
    }
}
