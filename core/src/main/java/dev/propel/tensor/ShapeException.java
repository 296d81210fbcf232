package dev.propel.tensor;

import dev.propel.spi.PropelException;

/** A tensor or layer shape is not what an operation needs. The message names both shapes. */
public class ShapeException extends PropelException {
    /** A shape error with a message that names both shapes. */
    public ShapeException(String message) {
        super(message);
    }
}
