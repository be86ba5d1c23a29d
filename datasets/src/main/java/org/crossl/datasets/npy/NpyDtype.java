package org.crossl.datasets.npy;

import java.nio.ByteOrder;
import java.util.Locale;
import org.crossl.api.data.DataFormatException;

/**
 * The NPY element types this reader supports: the numeric and boolean dtypes that sensor data,
 * labels and subject ids come in. Objects ({@code |O}, pickled), strings ({@code <U}, {@code |S}),
 * complex numbers, float16, dates and structured dtypes are rejected by {@link #parse}.
 */
public enum NpyDtype {
    FLOAT32('f', 4), FLOAT64('f', 8),
    INT8('i', 1), INT16('i', 2), INT32('i', 4), INT64('i', 8),
    UINT8('u', 1), UINT16('u', 2), UINT32('u', 4), UINT64('u', 8),
    BOOL('b', 1);

    /** The supported descr strings, for messages. */
    public static final String SUPPORTED = "<f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1 (and big-endian >…)";

    private final char kind;
    private final int itemSize;

    NpyDtype(char kind, int itemSize) {
        this.kind = kind;
        this.itemSize = itemSize;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** True for float32 and float64. */
    public boolean isFloat() {
        return kind == 'f';
    }

    /** numpy's name of the type ({@code float32}, {@code uint8}, {@code bool}). */
    public String numpyName() {
        return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
    }

    /** A dtype with the byte order its descr string gives. */
    public record Typed(NpyDtype type, ByteOrder order) {
    }

    /**
     * Parses a descr string ({@code <f4}, {@code >i8}, {@code |b1}, {@code =u2}).
     *
     * @param descr  the header's descr; {@code null} for a non-string descr (structured dtype)
     * @param shown  how the descr appeared in the header, for the message
     * @param source the file (and entry), for the message
     */
    public static Typed parse(String descr, String shown, String source) {
        if (descr == null) {
            throw unsupported(shown, "a structured dtype (record fields)", source);
        }
        if (descr.length() < 2) {
            throw unsupported(shown, "not a dtype string", source);
        }
        char order = descr.charAt(0);
        String code = descr.substring(1);
        ByteOrder byteOrder = switch (order) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            // '|' (byte order not applicable) and '=' (native) – numpy writes '<' or '|' itself
            case '|', '=' -> ByteOrder.nativeOrder();
            default -> throw unsupported(shown, "its first character must be a byte order <, >, | or =", source);
        };
        for (NpyDtype t : values()) {
            if (code.equals(t.kind + Integer.toString(t.itemSize))) {
                return new Typed(t, byteOrder);
            }
        }
        // numpy spells bool '?' in some contexts
        if (code.equals("?")) {
            return new Typed(BOOL, byteOrder);
        }
        String what = switch (code.charAt(0)) {
            case 'O' -> "Python objects (a pickled array; save numbers instead, e.g. arr.astype(np.float32))";
            case 'U', 'S', 'a' -> "strings (save class indices instead, or give class names in classNames)";
            case 'c' -> "complex numbers";
            case 'f' -> code.equals("f2") ? "float16 (save as float32)" : "a float size other than 4 or 8 bytes";
            case 'M', 'm' -> "dates or time deltas";
            case 'V' -> "raw bytes or records (a structured dtype)";
            default -> "an unknown type";
        };
        throw unsupported(shown, what, source);
    }

    private static DataFormatException unsupported(String shown, String what, String source) {
        return new DataFormatException(source + ": unsupported dtype " + shown + ": " + what + "; supported: " + SUPPORTED);
    }
}
