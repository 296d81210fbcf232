package dev.propel.model;

/** There is no model file at the path given to {@link ModelFiles#read} or {@link ModelFiles#load}; the message names it. */
public class ModelNotFoundException extends ModelFormatException {
    /** A missing-file error whose message names the path. */
    public ModelNotFoundException(String message) {
        super(message);
    }
}
