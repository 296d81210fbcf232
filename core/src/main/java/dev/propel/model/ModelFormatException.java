package dev.propel.model;

import dev.propel.spi.PropelException;

/**
 * A model file cannot be read or written: it is truncated, corrupt, of a newer format version, names a
 * type no installed plugin provides, or does not fit the model its graph describes. The message says
 * which file, what is wrong, where (byte offset, tensor or layer), and what to do about it.
 */
public class ModelFormatException extends PropelException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
