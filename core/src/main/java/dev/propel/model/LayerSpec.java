package dev.propel.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of a {@link ModelSpec}: its type id, an optional name ({@code null}: {@code <type>_<index>}),
 * the attributes given by the user (unvalidated; the layer's schema checks them) and the names of the
 * nodes it reads ({@code null}: the layer before it in the spec, or the model input for the first layer;
 * {@value LayerInfo#MODEL_INPUT} names the model input).
 */
public record LayerSpec(String type, String name, Map<String, Object> attributes, List<String> inputs) {
    /** Checks the type and copies the attributes and inputs ({@code null} inputs: the layer before). */
    public LayerSpec {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        inputs = inputs == null ? null : List.copyOf(inputs);
    }

    /** A layer that reads the one before it. */
    public LayerSpec(String type, String name, Map<String, Object> attributes) {
        this(type, name, attributes, null);
    }

    /** A layer of type {@code type} with default attributes, reading the layer before it. */
    public static LayerSpec of(String type) {
        return new LayerSpec(type, null, Map.of());
    }

    /** A layer of type {@code type} with these attributes, reading the layer before it. */
    public static LayerSpec of(String type, Map<String, ?> attributes) {
        return new LayerSpec(type, null, new LinkedHashMap<>(attributes));
    }

    /** This layer with a name. */
    public LayerSpec named(String newName) {
        return new LayerSpec(type, newName, attributes, inputs);
    }

    /** This layer reading the given nodes (layer names, or {@value LayerInfo#MODEL_INPUT}). */
    public LayerSpec reading(String... nodes) {
        return new LayerSpec(type, name, attributes, List.of(nodes));
    }
}
