package dev.propel.tensor;

/** A tensor or layer shape is not what an operation needs. The message names both shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
