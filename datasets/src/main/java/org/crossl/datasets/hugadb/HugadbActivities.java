package org.crossl.datasets.hugadb;

import java.util.List;

/**
 * HuGaDB's activity ids and names, from Table 1 of the authors' README: 1 walking, 2 running,
 * 3 going up (stairs), 4 going down (stairs), 5 sitting, 6 sitting down, 7 standing up,
 * 8 standing, 9 bicycling, 10 up by elevator, 11 down by elevator, 12 sitting in car.
 */
public final class HugadbActivities {

    /** Names of activity ids 1..12 (index id − 1). */
    public static final List<String> NAMES = List.of("walking", "running", "going_up", "going_down", "sitting",
            "sitting_down", "standing_up", "standing", "bicycling", "up_by_elevator", "down_by_elevator", "sitting_in_car");

    /** The largest activity id. */
    public static final int MAX_ID = NAMES.size();

    private HugadbActivities() {
    }

    /** The name of activity {@code id} (1..12). */
    public static String name(int id) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("HuGaDB activity ids are 1.." + MAX_ID + ", got " + id);
        }
        return NAMES.get(id - 1);
    }
}
