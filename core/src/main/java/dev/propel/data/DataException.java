package dev.propel.data;

import dev.propel.spi.PropelException;

/**
 * Data cannot be loaded. The message names the file or source, what was expected, what was found
 * and what to do about it. Subclasses tell a corrupt file ({@link DataFormatException}) from a
 * missing one ({@link DataNotFoundException}).
 */
public class DataException extends PropelException {
    /** A data error with a message that names the source, the expected and the found value. */
    public DataException(String message) {
        super(message);
    }

    /** A data error caused by {@code cause} (e.g. an {@link java.io.IOException} while reading). */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
