package dev.propel.spi;

/** The value types a layer, loss or optimizer attribute may have (design.md rule 2). */
public enum AttributeType {
    INT("an integer"),
    FLOAT("a number"),
    STRING("a string"),
    BOOL("true or false"),
    INT_LIST("a list of integers"),
    FLOAT_LIST("a list of numbers"),
    STRING_LIST("a list of strings");

    private final String description;

    AttributeType(String description) {
        this.description = description;
    }

    /** How the type reads in an error message, e.g. "an integer". */
    public String description() {
        return description;
    }
}
