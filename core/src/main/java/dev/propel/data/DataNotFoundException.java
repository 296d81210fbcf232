package dev.propel.data;

/** A named dataset, directory or file does not exist. The message says how to get it or what to pass instead. */
public class DataNotFoundException extends DataException {
    /** Missing data; the message names the file or source and what would provide it. */
    public DataNotFoundException(String message) {
        super(message);
    }
}
