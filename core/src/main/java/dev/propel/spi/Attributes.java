package dev.propel.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Validated attribute values of one layer, loss or optimizer, in schema order. Values are
 * {@code Integer}, {@code Float}, {@code String}, {@code Boolean} or immutable lists of those.
 * Create with {@link AttributeSchema#resolve}.
 */
public final class Attributes {
    private final Map<String, Object> values;

    Attributes(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** No attributes (for types whose schema is empty). */
    public static Attributes empty() {
        return new Attributes(Map.of());
    }

    /** All values, in schema order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The value of integer attribute {@code name}; throws {@link AttributeException} when there is none. */
    public int getInt(String name) {
        return (Integer) require(name);
    }

    /** The value of number attribute {@code name}; throws {@link AttributeException} when there is none. */
    public float getFloat(String name) {
        return (Float) require(name);
    }

    /** The value of string attribute {@code name}; throws {@link AttributeException} when there is none. */
    public String getString(String name) {
        return (String) require(name);
    }

    /** The value of boolean attribute {@code name}; throws {@link AttributeException} when there is none. */
    public boolean getBool(String name) {
        return (Boolean) require(name);
    }

    /** The value of integer-list attribute {@code name}; throws {@link AttributeException} when there is none. */
    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String name) {
        return (List<Integer>) require(name);
    }

    /** The value of number-list attribute {@code name}; throws {@link AttributeException} when there is none. */
    @SuppressWarnings("unchecked")
    public List<Float> getFloatList(String name) {
        return (List<Float>) require(name);
    }

    /** The value of string-list attribute {@code name}; throws {@link AttributeException} when there is none. */
    @SuppressWarnings("unchecked")
    public List<String> getStringList(String name) {
        return (List<String>) require(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new AttributeException("no attribute '" + name + "'; present: " + values.keySet());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes a && a.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
