package org.crossl.datasets.hugadb;

import java.util.List;
import java.util.Map;

/** HuGaDB's six IMU positions and two sensors, as named in the files' column headers. */
public final class HugadbPositions {

    /** Position codes in the files' column order: right foot, shin, thigh, then left. */
    public static final List<String> POSITIONS = List.of("rf", "rs", "rt", "lf", "ls", "lt");

    /** Sensor codes of each IMU. */
    public static final List<String> SENSORS = List.of("acc", "gyro");

    /** Device (body position) of each position code; the modalities of one device disappear together. */
    public static final Map<String, String> DEVICES = Map.of(
            "rf", "right_foot", "rs", "right_shin", "rt", "right_thigh",
            "lf", "left_foot", "ls", "left_shin", "lt", "left_thigh");

    /** Device of the EMG pair (one device, as protocols.md counts it). */
    public static final String EMG_DEVICE = "emg";

    /** Modality name of the EMG pair. */
    public static final String EMG_MODALITY = "emg";

    /** Column names of the EMG pair. */
    public static final List<String> EMG_COLUMNS = List.of("EMG_r", "EMG_l");

    /** Names accepted for the activity id column (case-insensitive). */
    public static final List<String> ACTIVITY_COLUMNS = List.of("act", "activity", "activity_id", "activityid");

    private HugadbPositions() {
    }

    /** Column names of one sensor at one position, x y z: {@code acc_rf_x, acc_rf_y, acc_rf_z}. */
    public static List<String> columns(String position, String sensor) {
        return List.of(sensor + "_" + position + "_x", sensor + "_" + position + "_y", sensor + "_" + position + "_z");
    }

    /** Modality name of one sensor at one position: {@code rf_acc}. */
    public static String modality(String position, String sensor) {
        return position + "_" + sensor;
    }
}
