package org.crossl.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory at one moment, in MiB: resident set (all of it: heap, ND4J's off-heap
 * buffers and workspaces, native libraries), its peak so far, and the Java heap in use and
 * committed. Read from {@code /proc/self/status}; -1 where that does not exist (not Linux).
 */
public record MemoryUse(long rssMb, long peakRssMb, long heapUsedMb, long heapCommittedMb) {

    public static MemoryUse now() {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kbToMb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kbToMb(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        Runtime rt = Runtime.getRuntime();
        return new MemoryUse(rss, hwm, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
    }

    private static long kbToMb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
    }

    /**
     * The memory this process may use, in MiB, as a hard limit: the smaller of the system property
     * {@code crossl.memoryLimitMb} (or {@code CROSSL_MEMORY_LIMIT_MB}) and the container's limit
     * (cgroup v2 {@code memory.max} or v1 {@code memory.limit_in_bytes}); -1 when neither is set.
     */
    public static long limitMb() {
        long limit = Long.MAX_VALUE;
        String set = System.getProperty("crossl.memoryLimitMb", System.getenv("CROSSL_MEMORY_LIMIT_MB"));
        if (set != null && !set.isBlank()) {
            try {
                limit = Long.parseLong(set.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("crossl.memoryLimitMb / CROSSL_MEMORY_LIMIT_MB must be a whole number of MiB, got '" + set + "'");
            }
        }
        for (String f : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String v = Files.readString(Path.of(f)).strip();
                if (!v.equals("max") && v.length() < 19) { // v1 says "no limit" with a number near 2^63
                    limit = Math.min(limit, Long.parseLong(v) >> 20);
                }
            } catch (IOException | RuntimeException e) {
                // no such cgroup file
            }
        }
        return limit == Long.MAX_VALUE ? -1 : limit;
    }

    /**
     * What the machine has available now plus what this process holds, in MiB; -1 when unknown.
     * A moment's reading that other processes change: grounds for a warning, not a refusal.
     */
    public static long availableMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return kbToMb(line) + Math.max(0, now().rssMb());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
