package dev.propel.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes a layer, loss or optimizer type accepts. {@link #resolve} turns what a user or a file
 * gave into validated {@link Attributes} with defaults filled in; an unknown key is an error that
 * lists the valid ones.
 */
public final class AttributeSchema {
    private final Map<String, AttributeSpec> specs;

    private AttributeSchema(Map<String, AttributeSpec> specs) {
        this.specs = specs;
    }

    /** A builder to declare attributes in the order they are listed and saved. */
    public static Builder builder() {
        return new Builder();
    }

    /** A schema with no attributes. */
    public static AttributeSchema empty() {
        return new AttributeSchema(Map.of());
    }

    /** The declared attributes, in declaration order. */
    public Collection<AttributeSpec> specs() {
        return specs.values();
    }

    /**
     * Validates {@code given} (values may be any Java number, String, Boolean or List of those)
     * against this schema for the thing named {@code owner} (e.g. "layer 'dense_0' (dense)").
     */
    public Attributes resolve(String owner, Map<String, ?> given) {
        for (String key : given.keySet()) {
            if (!specs.containsKey(key)) {
                throw new AttributeException(owner + ": unknown attribute '" + key + "'; valid attributes are "
                        + (specs.isEmpty() ? "none" : describeAll()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (AttributeSpec spec : specs.values()) {
            Object raw = given.get(spec.name());
            if (raw == null) {
                if (spec.required()) {
                    throw new AttributeException(owner + ": attribute '" + spec.name() + "' (" + spec.type().description()
                            + ", " + spec.description() + ") is required but was not given");
                }
                values.put(spec.name(), spec.defaultValue());
            } else {
                Object v = AttributeValues.convert(owner, spec, raw);
                AttributeValues.checkConstraint(owner, spec, v);
                values.put(spec.name(), v);
            }
        }
        return new Attributes(values);
    }

    private String describeAll() {
        List<String> parts = new ArrayList<>();
        for (AttributeSpec s : specs.values()) {
            parts.add(s.name() + " (" + s.type().description() + (s.required() ? ", required" : "") + ")");
        }
        return String.join(", ", parts);
    }

    /** Builds a schema in declaration order (the order attributes are shown and saved). */
    public static final class Builder {
        private final Map<String, AttributeSpec> specs = new LinkedHashMap<>();

        /**
         * Adds {@code spec}; throws {@link PropelException} when the name is declared twice or the default breaks the
         * spec's own range.
         */
        public Builder add(AttributeSpec spec) {
            if (specs.putIfAbsent(spec.name(), spec) != null) {
                throw new PropelException("attribute '" + spec.name() + "' is declared twice");
            }
            if (spec.defaultValue() != null) {
                AttributeValues.checkConstraint("default of", spec, spec.defaultValue());
            }
            return this;
        }

        /** An int attribute; {@code min} is inclusive ({@code null} for none), default {@code null} = required. */
        public Builder intAttr(String name, Integer defaultValue, Integer min, String description) {
            return add(new AttributeSpec(name, AttributeType.INT, defaultValue, description,
                    min == null ? null : min.doubleValue(), true, null, false, null));
        }

        /** A float attribute in the range given by {@code min}/{@code max} ({@code null} = unbounded). */
        public Builder floatAttr(String name, Float defaultValue, Double min, boolean minInclusive,
                                 Double max, boolean maxInclusive, String description) {
            return add(new AttributeSpec(name, AttributeType.FLOAT, defaultValue, description,
                    min, minInclusive, max, maxInclusive, null));
        }

        /** A float attribute >= 0. */
        public Builder nonNegativeFloat(String name, float defaultValue, String description) {
            return floatAttr(name, defaultValue, 0.0, true, null, false, description);
        }

        /** A float attribute > 0. */
        public Builder positiveFloat(String name, Float defaultValue, String description) {
            return floatAttr(name, defaultValue, 0.0, false, null, false, description);
        }

        /** A boolean attribute with a default. */
        public Builder boolAttr(String name, boolean defaultValue, String description) {
            return add(new AttributeSpec(name, AttributeType.BOOL, defaultValue, description,
                    null, false, null, false, null));
        }

        /** A string attribute restricted to {@code allowed} (empty = any string). */
        public Builder stringAttr(String name, String defaultValue, List<String> allowed, String description) {
            return add(new AttributeSpec(name, AttributeType.STRING, defaultValue, description,
                    null, false, null, false, allowed));
        }

        /**
         * An attribute that is an integer or a list of integers ({@link AttributeType#INT_OR_INT_LIST}), e.g. a
         * kernel size {@code 3} or {@code [3, 5]}; {@code min} (inclusive, {@code null} for none) bounds the
         * integer and every element; {@code strings} (may be empty) are accepted as well, e.g. {@code "same"}.
         */
        public Builder intOrIntListAttr(String name, Object defaultValue, Integer min, List<String> strings,
                                        String description) {
            return add(new AttributeSpec(name, AttributeType.INT_OR_INT_LIST, defaultValue, description,
                    min == null ? null : min.doubleValue(), true, null, false, strings));
        }

        /** The schema with every attribute added so far. */
        public AttributeSchema build() {
            return new AttributeSchema(new LinkedHashMap<>(specs));
        }
    }
}
