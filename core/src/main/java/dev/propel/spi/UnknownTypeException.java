package dev.propel.spi;

/** A layer, loss or optimizer type id that no installed plugin provides. */
public class UnknownTypeException extends PropelException {
    private final String typeId;

    /** An error for {@code typeId}, with a message that lists the installed types (and the closest names). */
    public UnknownTypeException(String typeId, String message) {
        super(message);
        this.typeId = typeId;
    }

    /** The type id that no installed plugin provides, as it was asked for. */
    public String typeId() {
        return typeId;
    }
}
