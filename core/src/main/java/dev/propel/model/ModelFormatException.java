package dev.propel.model;

import dev.propel.spi.PropelException;

/**
 * A model file cannot be read or written: it is truncated, corrupt, of a newer format version, names a
 * type no installed plugin provides, or does not fit the model its graph describes. The message says
 * which file, what is wrong, where (byte offset, tensor or layer), and what to do about it.
 */
public class ModelFormatException extends PropelException {
    /** A model-file error whose message names the file, what is wrong and where. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** A model-file error caused by {@code cause} (e.g. a protobuf or JSON parse error). */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
