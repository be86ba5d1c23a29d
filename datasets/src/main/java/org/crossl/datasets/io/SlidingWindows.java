package org.crossl.datasets.io;

import org.crossl.api.data.WindowBatch;

/**
 * Sliding windows over one recording: windows start at 0, stride, 2·stride, … and hold
 * {@code window} consecutive samples; the tail that does not fill a whole window is dropped, so
 * windows never cross the end of a recording (nor, since each recording is windowed alone, a
 * file boundary).
 */
public final class SlidingWindows {

    private SlidingWindows() {
    }

    /** Number of windows of a recording of {@code length} samples (0 when it is shorter than one window). */
    public static int count(int length, int window, int stride) {
        return length < window ? 0 : (length - window) / stride + 1;
    }

    /**
     * For every sample i, the end (exclusive) of the run of equal values that contains it: the
     * first index j &gt; i with {@code ids[j] != ids[i]}, or {@code length}.
     */
    public static int[] runEnds(int[] ids, int length) {
        int[] end = new int[length];
        for (int i = length - 1; i >= 0; i--) {
            end[i] = i + 1 < length && ids[i + 1] == ids[i] ? end[i + 1] : i + 1;
        }
        return end;
    }

    /**
     * The label of the window starting at {@code start}: {@code classOf[ids[start]]} when every
     * sample of the window has the same id, else {@link WindowBatch#UNLABELLED}.
     *
     * @param runEnds from {@link #runEnds}
     * @param classOf class index per id (ids index this array)
     */
    public static int label(int[] ids, int[] runEnds, int start, int window, int[] classOf) {
        return runEnds[start] >= start + window ? classOf[ids[start]] : WindowBatch.UNLABELLED;
    }
}
