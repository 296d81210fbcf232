package dev.propel.model;

import dev.propel.spi.PropelException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value kinds an attribute may have in a saved model, and the canonical Java form of each:
 * {@link Integer} (or {@link Long} beyond the int range), {@link Float}, {@link String}, {@link Boolean},
 * and immutable lists of integers, floats or strings. Formats store these generically, so a plugin's
 * attributes save and load with no plugin-specific code (design rule 2).
 */
public final class SavedAttributes {

    /** What a saved attribute value is. */
    public enum Kind { INT, FLOAT, STRING, BOOL, INT_LIST, FLOAT_LIST, STRING_LIST }

    private SavedAttributes() {
    }

    /**
     * Copies {@code attributes} in order with every value in canonical form. Throws an
     * {@link IllegalArgumentException} naming {@code owner} and the attribute for a value of another
     * type (e.g. a map, a null, or a list mixing strings and numbers).
     */
    public static Map<String, Object> canonical(String owner, Map<String, ?> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new PropelException(owner + ": an attribute has an empty name");
            }
            out.put(e.getKey(), canonicalValue(owner, e.getKey(), e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The canonical form of one value; see the class comment. */
    public static Object canonicalValue(String owner, String name, Object value) {
        if (value instanceof Integer || value instanceof Float || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long || value instanceof Short || value instanceof Byte) {
            long l = ((Number) value).longValue();
            if (l == (int) l) return Integer.valueOf((int) l);
            return Long.valueOf(l);
        }
        if (value instanceof Double d) {
            return d.floatValue();
        }
        if (value instanceof List<?> list) {
            return canonicalList(owner, name, list);
        }
        throw new PropelException(owner + ": attribute '" + name + "' has a value of type "
                + (value == null ? "null" : value.getClass().getSimpleName())
                + "; saved attributes must be integers, floats, strings, booleans or lists of integers, floats or strings");
    }

    private static List<Object> canonicalList(String owner, String name, List<?> list) {
        boolean anyFloat = false;
        boolean anyString = false;
        boolean anyInt = false;
        for (Object o : list) {
            if (o instanceof String) anyString = true;
            else if (o instanceof Float || o instanceof Double) anyFloat = true;
            else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) anyInt = true;
            else {
                throw new PropelException(owner + ": attribute '" + name + "' is a list holding "
                        + (o == null ? "null" : "a " + o.getClass().getSimpleName())
                        + "; list attributes hold only integers, floats or strings");
            }
        }
        if (anyString && (anyFloat || anyInt)) {
            throw new PropelException(owner + ": attribute '" + name + "' is a list mixing strings and numbers: "
                    + list + "; use one element type");
        }
        List<Object> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (anyFloat) out.add(((Number) o).floatValue());
            else out.add(anyString ? o : canonicalValue(owner, name, o));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The kind of a canonical value. An empty list counts as {@link Kind#INT_LIST}: with no elements it
     * reads back as an empty list, which every list-typed attribute accepts.
     */
    public static Kind kindOf(Object canonical) {
        if (canonical instanceof Integer || canonical instanceof Long) return Kind.INT;
        if (canonical instanceof Float) return Kind.FLOAT;
        if (canonical instanceof String) return Kind.STRING;
        if (canonical instanceof Boolean) return Kind.BOOL;
        if (canonical instanceof List<?> list) {
            if (list.isEmpty()) return Kind.INT_LIST;
            Object first = list.getFirst();
            if (first instanceof Float) return Kind.FLOAT_LIST;
            if (first instanceof String) return Kind.STRING_LIST;
            return Kind.INT_LIST;
        }
        throw new PropelException("not a canonical attribute value: " + canonical);
    }
}
