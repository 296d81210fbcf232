package dev.propel.data;

import java.util.ArrayList;
import java.util.List;

/** The element types of the IDX format (the third byte of its magic number), all big-endian. */
public enum IdxType {
    /** Type code 0x08: one unsigned byte (0 to 255) per element, as MNIST pixels and labels. */
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    /** Type code 0x09: one signed byte per element. */
    SIGNED_BYTE(0x09, 1, "signed byte"),
    /** Type code 0x0B: a big-endian 16-bit integer per element. */
    SHORT(0x0B, 2, "16-bit integer"),
    /** Type code 0x0C: a big-endian 32-bit integer per element. */
    INT(0x0C, 4, "32-bit integer"),
    /** Type code 0x0D: a big-endian 32-bit float per element. */
    FLOAT(0x0D, 4, "32-bit float"),
    /** Type code 0x0E: a big-endian 64-bit float per element. */
    DOUBLE(0x0E, 8, "64-bit float");

    private final int code;
    private final int bytes;
    private final String description;

    IdxType(int code, int bytes, String description) {
        this.code = code;
        this.bytes = bytes;
        this.description = description;
    }

    /** The type code as it appears in the file, e.g. {@code 0x08}. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the integer types, whose values can serve as labels. */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /** The type with this code, or null. */
    public static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) return t;
        }
        return null;
    }

    /** "0x08 (unsigned byte), 0x09 (signed byte), ..." for error messages. */
    public static String describeAll() {
        List<String> parts = new ArrayList<>();
        for (IdxType t : values()) parts.add(t.hex() + " (" + t.description + ")");
        return String.join(", ", parts);
    }

    /** "0x08". */
    public String hex() {
        return String.format("0x%02X", code);
    }

    @Override
    public String toString() {
        return hex() + " " + description;
    }
}
