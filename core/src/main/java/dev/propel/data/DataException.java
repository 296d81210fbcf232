package dev.propel.data;

/**
 * Data cannot be loaded. The message names the file or source, what was expected, what was found
 * and what to do about it. Subclasses tell a corrupt file ({@link DataFormatException}) from a
 * missing one ({@link DataNotFoundException}).
 */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
