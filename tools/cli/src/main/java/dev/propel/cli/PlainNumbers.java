package dev.propel.cli;

import java.math.BigDecimal;

/** Numbers as people write them: {@code 0.0003}, not Java's {@code 3.0E-4}; {@code 0.001}, {@code 2}. */
final class PlainNumbers {
    private PlainNumbers() {
    }

    /** A float or double in plain decimal notation with its shortest exact digits; other values as {@code toString}. */
    static String plain(Object value) {
        if ((value instanceof Float || value instanceof Double) && Double.isFinite(((Number) value).doubleValue())) {
            String shortest = value instanceof Float f ? Float.toString(f) : Double.toString((Double) value);
            BigDecimal d = new BigDecimal(shortest).stripTrailingZeros();
            return d.scale() < 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return String.valueOf(value);
    }
}
