package dev.propel.testkit;

import java.util.List;
import java.util.Map;

/**
 * Attributes that a type must refuse with an {@link dev.propel.spi.AttributeException}, and the
 * fragments its message must contain (typically the attribute's name and the allowed range), e.g.
 * {@code new InvalidAttributes(Map.of("delta", 0), "'delta'", "> 0")}.
 */
public record InvalidAttributes(Map<String, ?> attributes, List<String> fragments) {

    /** Copies the attributes and the fragments. */
    public InvalidAttributes {
        attributes = Map.copyOf(attributes);
        fragments = List.copyOf(fragments);
    }

    /** Attributes to refuse, with the fragments the refusal's message must contain. */
    public InvalidAttributes(Map<String, ?> attributes, String... fragments) {
        this(attributes, List.of(fragments));
    }
}
