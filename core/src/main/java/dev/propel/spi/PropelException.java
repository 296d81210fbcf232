package dev.propel.spi;

/**
 * The root of everything Propel throws on bad input: wrong shapes, unknown types, bad attributes,
 * corrupt or truncated files, unreadable data, missing or incompatible plugins, a diverging training
 * run. Its message names the thing, the expected and the actual value, and the way out.
 *
 * <p>It is an {@link IllegalArgumentException}: code that catches that keeps working, and an
 * application can catch {@code PropelException} to tell a user's mistake from a bug (any other
 * exception). The specific types ({@link dev.propel.tensor.ShapeException}, {@link AttributeException},
 * {@link UnknownTypeException}, {@link PluginException}, {@code ModelFormatException},
 * {@code DataException}, {@code TrainingDivergedException}, …) all extend it. Plugins throw it (or a
 * subtype) for their own bad input.
 */
public class PropelException extends IllegalArgumentException {
    /** An error with a message that names the thing, the expected and actual value, and the way out. */
    public PropelException(String message) {
        super(message);
    }

    /** An error caused by {@code cause} (kept for the stack trace), with a message as above. */
    public PropelException(String message, Throwable cause) {
        super(message, cause);
    }
}
