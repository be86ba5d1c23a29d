package org.crossl.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crossl.api.data.DataSplits;
import org.crossl.api.data.ModalitySpec;
import org.crossl.api.data.WindowDataset;
import org.crossl.core.config.Json;

/**
 * The Parquet layout of exported windows, one row per window:
 * <pre>
 * split     string        train | validation | test
 * index     int           the window's position in its split
 * subject   int           who was recorded
 * label     int           class index into the metadata's classNames, −1 unlabelled
 * presence  array<float>  one entry per modality, 1 recorded, 0 absent (its samples are zeros)
 * x_NAME    array<float>  modality NAME's window, T × C values, time-major (sample t, channel c at t·C + c)
 * </pre>
 * Beside the part files, {@value #METADATA} (JSON) names the modalities in order (channels,
 * sampling rate, device, window length), the class names, the windows per split, and the reader's
 * resolved {@code data:} section and description. Files whose names start with {@code _} are
 * skipped by Spark's readers.
 */
final class ParquetWindows {
    static final String METADATA = "_crossl.json";
    static final String FORMAT = "crossl-windows";
    static final int VERSION = 1;
    static final String[] SPLITS = {"train", "validation", "test"};

    private ParquetWindows() {
    }

    static WindowDataset split(DataSplits s, int i) {
        return i == 0 ? s.train() : i == 1 ? s.validation() : s.test();
    }

    static String column(String modality) {
        return "x_" + modality;
    }

    static StructType schema(List<String> modalities) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("split", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("index", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("subject", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("presence", DataTypes.createArrayType(DataTypes.FloatType, false), false));
        for (String m : modalities) {
            f.add(DataTypes.createStructField(column(m), DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        return DataTypes.createStructType(f);
    }

    /** Parquet and Spark refuse some characters in column names; a modality named with one is an error naming it. */
    static void checkNames(List<String> modalities) {
        for (String m : modalities) {
            if (!m.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("modality '" + m + "' cannot be a Parquet column name (use letters, digits, _ . -); "
                        + "rename it in the data section");
            }
        }
    }

    static ObjectNode metadata(DataSplits s, ObjectNode resolvedData) {
        ObjectNode meta = Json.JSON.createObjectNode();
        meta.put("format", FORMAT);
        meta.put("formatVersion", VERSION);
        ArrayNode mods = meta.putArray("modalities");
        WindowDataset train = s.train();
        for (int m = 0; m < train.modalities().size(); m++) {
            ModalitySpec spec = train.modalities().get(m);
            ObjectNode o = mods.addObject();
            o.put("name", spec.name());
            ArrayNode ch = o.putArray("channelNames");
            spec.channelNames().forEach(ch::add);
            o.put("samplingRateHz", spec.samplingRateHz());
            o.put("device", spec.device());
            o.put("length", train.length(m));
        }
        ArrayNode classes = meta.putArray("classNames");
        train.classNames().forEach(classes::add);
        ObjectNode windows = meta.putObject("windows");
        for (int i = 0; i < SPLITS.length; i++) {
            windows.put(SPLITS[i], split(s, i).size());
        }
        meta.set("source", resolvedData);
        meta.set("description", Json.JSON.valueToTree(s.description()));
        return meta;
    }
}
