package dev.propel.spi;

/** An attribute is unknown, missing, of the wrong type or out of range. The message says which and how to fix it. */
public class AttributeException extends PropelException {
    public AttributeException(String message) {
        super(message);
    }
}
