package dev.propel.spi;

/** The value types a layer, loss or optimizer attribute may have (design.md rule 2). */
public enum AttributeType {
    /** A whole number ({@link Integer}). */
    INT("an integer"),
    /** A number ({@link Float}); integers in a spec are accepted. */
    FLOAT("a number"),
    /** A string, possibly restricted to allowed values. */
    STRING("a string"),
    /** {@code true} or {@code false}. */
    BOOL("true or false"),
    /** A list of whole numbers. */
    INT_LIST("a list of integers"),
    /** A list of numbers. */
    FLOAT_LIST("a list of numbers"),
    /** A list of strings. */
    STRING_LIST("a list of strings"),
    /**
     * An integer or a list of integers, e.g. a convolution's {@code kernel_size}: {@code 3} or {@code [3, 5]}.
     * When the attribute names allowed strings ({@link AttributeSpec#allowed()}), one of those is accepted
     * too, e.g. {@code padding}: {@code 1}, {@code [1, 2]} or {@code "same"}. A lower bound applies to the
     * integer and to every element of the list.
     */
    INT_OR_INT_LIST("an integer or a list of integers");

    private final String description;

    AttributeType(String description) {
        this.description = description;
    }

    /** How the type reads in an error message, e.g. "an integer". */
    public String description() {
        return description;
    }
}
