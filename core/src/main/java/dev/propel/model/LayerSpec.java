package dev.propel.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of a {@link ModelSpec}: its type id, an optional name ({@code null}: {@code <type>_<index>})
 * and the attributes given by the user (unvalidated; the layer's schema checks them).
 */
public record LayerSpec(String type, String name, Map<String, Object> attributes) {
    public LayerSpec {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static LayerSpec of(String type) {
        return new LayerSpec(type, null, Map.of());
    }

    public static LayerSpec of(String type, Map<String, ?> attributes) {
        return new LayerSpec(type, null, new LinkedHashMap<>(attributes));
    }
}
