package dev.propel.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A loss or optimizer named by type id, with user-given (unvalidated) attributes. */
public record ComponentSpec(String type, Map<String, Object> attributes) {
    public ComponentSpec {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static ComponentSpec of(String type) {
        return new ComponentSpec(type, Map.of());
    }

    public static ComponentSpec of(String type, Map<String, ?> attributes) {
        return new ComponentSpec(type, new LinkedHashMap<>(attributes));
    }
}
