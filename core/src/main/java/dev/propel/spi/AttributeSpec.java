package dev.propel.spi;

import java.util.List;
import java.util.Objects;

/**
 * Declares one attribute: its name, type, default ({@code null} = required), a one-line description,
 * and for numbers an inclusive/exclusive range, for strings the allowed values.
 */
public record AttributeSpec(String name, AttributeType type, Object defaultValue, String description,
                            Double min, boolean minInclusive, Double max, boolean maxInclusive,
                            List<String> allowed) {

    /** Checks that name, type and description are present; {@code allowed} may be {@code null} (no restriction). */
    public AttributeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    /** Whether the attribute has no default, so a spec must give it. */
    public boolean required() {
        return defaultValue == null;
    }

    /** The constraint in words, e.g. "> 0" or "one of [none, tanh]", or "" when unconstrained. */
    public String constraint() {
        StringBuilder sb = new StringBuilder();
        if (min != null) sb.append(minInclusive ? ">= " : "> ").append(format(min));
        if (max != null) sb.append(sb.isEmpty() ? "" : " and ").append(maxInclusive ? "<= " : "< ").append(format(max));
        if (!allowed.isEmpty()) sb.append(sb.isEmpty() ? "" : ", or ").append("one of ").append(allowed);
        return sb.toString();
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
