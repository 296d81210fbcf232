package dev.propel.data;

/** A named dataset, directory or file does not exist. The message says how to get it or what to pass instead. */
public class DataNotFoundException extends DataException {
    public DataNotFoundException(String message) {
        super(message);
    }
}
