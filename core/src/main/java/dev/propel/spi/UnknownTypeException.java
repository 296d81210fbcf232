package dev.propel.spi;

/** A layer, loss or optimizer type id that no installed plugin provides. */
public class UnknownTypeException extends PropelException {
    private final String typeId;

    public UnknownTypeException(String typeId, String message) {
        super(message);
        this.typeId = typeId;
    }

    public String typeId() {
        return typeId;
    }
}
