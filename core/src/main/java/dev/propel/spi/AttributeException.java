package dev.propel.spi;

/** An attribute is unknown, missing, of the wrong type or out of range. The message says which and how to fix it. */
public class AttributeException extends PropelException {
    /** An attribute error whose message names the attribute, the type id, the expected and the given value. */
    public AttributeException(String message) {
        super(message);
    }
}
