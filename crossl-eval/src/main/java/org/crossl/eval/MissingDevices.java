package org.crossl.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.api.data.WindowStore;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The missing-device evaluation of protocols.md: a device is a body position (all modalities whose
 * {@link ModalitySpec#device()} it is disappear together); every non-empty proper subset of
 * devices is removed at test time in turn.
 */
public final class MissingDevices {
    private MissingDevices() {
    }

    /** The devices of {@code modalities}, in first-appearance order. */
    public static List<String> devices(List<ModalitySpec> modalities) {
        Set<String> d = new LinkedHashSet<>();
        modalities.forEach(m -> d.add(m.device()));
        return List.copyOf(d);
    }

    /**
     * Every non-empty proper subset of {@code devices}, smallest first, then in the devices' order
     * (for 3 devices a, b, c: a, b, c, a+b, a+c, b+c). One device gives none.
     */
    public static List<List<String>> properSubsets(List<String> devices) {
        int n = devices.size();
        if (n > 20) {
            throw new IllegalArgumentException(n + " devices give " + ((1L << n) - 2) + " subsets; too many to evaluate each");
        }
        List<List<String>> out = new ArrayList<>();
        for (int size = 1; size < n; size++) {
            collect(devices, size, 0, new ArrayList<>(), out);
        }
        return out;
    }

    /**
     * The subsets to score: every non-empty proper subset when there are at most
     * {@code maxExhaustive} of them; otherwise each device absent alone (leave-one-out), each
     * device the only one left (keep-one), and {@code sample} further distinct subsets drawn from
     * {@code seed}, in that order. Scoring all of 13 devices would be 8,190 passes over the test set.
     */
    public static List<List<String>> scoredSubsets(List<String> devices, int maxExhaustive, int sample, long seed) {
        int n = devices.size();
        if (n < 2) {
            return List.of();
        }
        if (n <= 20 && (1L << n) - 2 <= maxExhaustive) {
            return properSubsets(devices);
        }
        if (n > 62) {
            throw new IllegalArgumentException(n + " devices: too many to draw subsets of");
        }
        java.util.LinkedHashSet<Long> chosen = new java.util.LinkedHashSet<>();
        long full = (1L << n) - 1;
        for (int i = 0; i < n; i++) {
            chosen.add(1L << i);
        }
        for (int i = 0; i < n; i++) {
            chosen.add(full & ~(1L << i));
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x6d697373696e67L);
        long room = full - 1 - chosen.size(); // proper non-empty subsets not yet chosen
        for (int drawn = 0; drawn < Math.min(sample, room); ) {
            long bits = rng.nextLong() & full;
            if (bits != 0 && bits != full && chosen.add(bits)) {
                drawn++;
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (long bits : chosen) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((bits & (1L << i)) != 0) {
                    s.add(devices.get(i));
                }
            }
            out.add(List.copyOf(s));
        }
        return out;
    }

    private static void collect(List<String> devices, int size, int from, List<String> current, List<List<String>> out) {
        if (current.size() == size) {
            out.add(List.copyOf(current));
            return;
        }
        for (int i = from; i < devices.size(); i++) {
            current.add(devices.get(i));
            collect(devices, size, i + 1, current, out);
            current.remove(current.size() - 1);
        }
    }

    /** The key of a subset in results: the devices joined with {@code +}. */
    public static String key(List<String> absent) {
        return String.join("+", absent);
    }

    /**
     * {@code data} with the named modalities or devices absent (presence 0) in every window; each
     * name may be a modality's or a device's.
     *
     * @throws IllegalArgumentException naming the known modalities and devices, for a name that is neither
     */
    public static WindowDataset hide(WindowDataset data, List<String> names) {
        List<String> mods = data.modalities().stream().map(ModalitySpec::name).toList();
        List<String> devs = devices(data.modalities());
        for (String n : names) {
            if (!mods.contains(n) && !devs.contains(n)) {
                throw new IllegalArgumentException("no modality or device '" + n + "' in the data; modalities: " + mods + ", devices: " + devs);
            }
        }
        return absent(data, m -> names.contains(m.name()) || names.contains(m.device()));
    }

    /** {@code data} with the named modalities absent (single-device data scored by modality). */
    static WindowDataset withoutModalities(WindowDataset data, List<String> names) {
        return absent(data, m -> names.contains(m.name()));
    }

    /**
     * {@code data} with every modality on the {@code absent} devices marked absent (presence 0) in
     * every window. The windows themselves are shared, not copied: the model ignores the values of
     * absent modalities.
     */
    public static WindowDataset without(WindowDataset data, List<String> absent) {
        Set<String> gone = Set.copyOf(absent);
        List<String> known = devices(data.modalities());
        for (String d : gone) {
            if (!known.contains(d)) {
                throw new IllegalArgumentException("no device '" + d + "' in the data; devices: " + known);
            }
        }
        return absent(data, m -> gone.contains(m.device()));
    }

    /** The same windows with presence 0 for the modalities {@code gone} picks. */
    private static WindowDataset absent(WindowDataset data, java.util.function.Predicate<ModalitySpec> gone) {
        INDArray presence = data.presence().dup();
        List<WindowStore> stores = new ArrayList<>();
        for (int m = 0; m < data.modalities().size(); m++) {
            if (gone.test(data.modalities().get(m)) && presence.size(0) > 0) {
                presence.getColumn(m).assign(0);
            }
            stores.add(data.store(m));
        }
        return WindowDataset.ofStores(data.modalities(), stores, presence, data.labels(), data.subjects(), data.classNames());
    }
}
