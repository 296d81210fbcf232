package dev.propel.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A loss or optimizer named by type id, with user-given (unvalidated) attributes. */
public record ComponentSpec(String type, Map<String, Object> attributes) {
    /** Checks the type and copies the attributes; {@code attributes} may be {@code null} (none given). */
    public ComponentSpec {
        Objects.requireNonNull(type, "type");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A component of type {@code type} with every attribute at its default. */
    public static ComponentSpec of(String type) {
        return new ComponentSpec(type, Map.of());
    }

    /** A component of type {@code type} with these attributes (the rest at their defaults). */
    public static ComponentSpec of(String type, Map<String, ?> attributes) {
        return new ComponentSpec(type, new LinkedHashMap<>(attributes));
    }
}
