package dev.propel.cli;

/**
 * A model spec file is unreadable or invalid. The message starts with the file and the JSON path of
 * the offending value, e.g. {@code model.json: layers[2].units: ...}.
 */
public class SpecException extends IllegalArgumentException {
    public SpecException(String source, String path, String message) {
        super(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
