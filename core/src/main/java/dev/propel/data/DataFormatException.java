package dev.propel.data;

/**
 * A data file's content is not what its format requires: a bad magic number, an unknown type code,
 * a size that does not match the file, a non-numeric CSV value. The message names the file (and for
 * text files the line and column), the expected and the found value.
 */
public class DataFormatException extends DataException {
    /** A format error; the message names the file (and line and column for text), the expected and the found value. */
    public DataFormatException(String message) {
        super(message);
    }

    /** A format error caused by {@code cause}, e.g. a failed number parse. */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
