package org.crossl.datasets.uea;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.crossl.api.spi.ConfigException;

/**
 * The {@code data:} section of {@code type: uea}.
 *
 * @param path               folder of {@code <problem>_TRAIN.ts} and {@code <problem>_TEST.ts}
 *                           (or {@code .ts.gz}), relative to the data root; required
 * @param problem            the problem name, the files' prefix; default: the folder's name
 * @param modalities         how dimensions group into modalities; default: one modality per
 *                           dimension, named {@code dim0}, {@code dim1}, …
 * @param samplingRateHz     sampling rate of every modality that does not set its own; default 1.0
 * @param validationFraction share of the TRAIN file's cases, drawn per class with the experiment's
 *                           seed, that becomes the validation split; default 0.2, in [0, 1)
 * @param unequalLength      how cases of different lengths become windows of one length:
 *                           {@code resample} (default: linear interpolation to {@code length}),
 *                           {@code pad} (zeros appended, longer cases cut) or {@code truncate} (cut
 *                           at {@code length}, shorter cases zero-padded)
 * @param length             the window length T; default: the longest case (resample, pad) or the
 *                           shortest (truncate) over both files; equal-length files keep their
 *                           length unless this is set
 */
public record UeaConfig(String path, String problem, List<Modality> modalities, Double samplingRateHz,
                        Double validationFraction, String unequalLength, Integer length) {

    public static final List<String> UNEQUAL_LENGTH_POLICIES = List.of("resample", "pad", "truncate");

    public static final double DEFAULT_SAMPLING_RATE_HZ = 1.0;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    /**
     * A group of dimensions read as one modality.
     *
     * @param name           unique modality name (e.g. {@code acc}); required
     * @param dimensions     0-based dimension indices in channel order; required, non-empty
     * @param device         device or body position carrying the sensor; default: the name
     * @param samplingRateHz default: the section's {@code samplingRateHz}
     */
    public record Modality(String name, List<Integer> dimensions, String device, Double samplingRateHz) {
        public Modality {
            dimensions = dimensions == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(dimensions));
        }
    }

    public UeaConfig {
        if (path == null || path.isBlank()) {
            throw new ConfigException("path", "required: the folder holding <problem>_TRAIN.ts and <problem>_TEST.ts, "
                    + "relative to the data root (e.g. uea/BasicMotions)");
        }
        if (problem == null || problem.isBlank()) {
            try {
                Path p = Path.of(path).getFileName();
                if (p == null) {
                    throw new ConfigException("problem", "cannot take the problem name from path '" + path + "'; set problem");
                }
                problem = p.toString();
            } catch (InvalidPathException e) {
                throw new ConfigException("path", "not a valid path: " + e.getMessage());
            }
        }
        samplingRateHz = samplingRateHz == null ? DEFAULT_SAMPLING_RATE_HZ : samplingRateHz;
        if (!(samplingRateHz > 0) || samplingRateHz.isInfinite()) {
            throw new ConfigException("samplingRateHz", "must be a positive number of samples per second, got " + samplingRateHz);
        }
        validationFraction = validationFraction == null ? DEFAULT_VALIDATION_FRACTION : validationFraction;
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new ConfigException("validationFraction", "must be in [0, 1), got " + validationFraction);
        }
        unequalLength = unequalLength == null || unequalLength.isBlank() ? "resample" : unequalLength.strip().toLowerCase(java.util.Locale.ROOT);
        if (!UNEQUAL_LENGTH_POLICIES.contains(unequalLength)) {
            throw new ConfigException("unequalLength", "unknown policy '" + unequalLength + "'; known: " + UNEQUAL_LENGTH_POLICIES);
        }
        if (length != null && length < 1) {
            throw new ConfigException("length", "must be at least 1 sample, got " + length);
        }
        if (modalities != null) {
            if (modalities.isEmpty()) {
                throw new ConfigException("modalities", "must list at least one modality, or be left out (one modality per dimension)");
            }
            List<Modality> filled = new ArrayList<>(modalities.size());
            Set<String> names = new HashSet<>();
            for (int i = 0; i < modalities.size(); i++) {
                Modality m = modalities.get(i);
                String key = "modalities[" + i + "]";
                if (m == null) {
                    throw new ConfigException(key, "must not be empty");
                }
                if (m.name() == null || m.name().isBlank()) {
                    throw new ConfigException(key + ".name", "required");
                }
                if (!names.add(m.name())) {
                    throw new ConfigException(key + ".name", "modality '" + m.name() + "' is defined twice");
                }
                if (m.dimensions() == null || m.dimensions().isEmpty()) {
                    throw new ConfigException(key + ".dimensions", "required: the 0-based dimensions of modality '" + m.name() + "'");
                }
                Set<Integer> seen = new HashSet<>();
                for (Integer d : m.dimensions()) {
                    if (d == null || d < 0) {
                        throw new ConfigException(key + ".dimensions", "dimensions are 0-based indices, got " + d);
                    }
                    if (!seen.add(d)) {
                        throw new ConfigException(key + ".dimensions", "dimension " + d + " is listed twice");
                    }
                }
                double rate = m.samplingRateHz() == null ? samplingRateHz : m.samplingRateHz();
                if (!(rate > 0) || Double.isInfinite(rate)) {
                    throw new ConfigException(key + ".samplingRateHz", "must be a positive number of samples per second, got " + rate);
                }
                String device = m.device() == null || m.device().isBlank() ? m.name() : m.device();
                filled.add(new Modality(m.name(), m.dimensions(), device, rate));
            }
            modalities = List.copyOf(filled);
        }
    }

    /** A config with every default, reading the problem in {@code path}. */
    public static UeaConfig of(String path) {
        return new UeaConfig(path, null, null, null, null, null, null);
    }
}
