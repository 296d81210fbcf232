package dev.propel.train.ff;

import dev.propel.spi.PropelException;

/** A model contains a layer that Forward-Forward training cannot train; the message says which and what to do. */
public class UnsupportedLayerException extends PropelException {
    private final int layerIndex;
    private final String layerType;

    /**
     * Layer {@code layerIndex} (from 0) of type {@code layerType} cannot be trained with Forward-Forward; {@code
     * message} says why and what to use instead.
     */
    public UnsupportedLayerException(int layerIndex, String layerType, String message) {
        super(message);
        this.layerIndex = layerIndex;
        this.layerType = layerType;
    }

    /** Position of the offending layer in the model. */
    public int layerIndex() {
        return layerIndex;
    }

    /** Its type id, e.g. {@code "softmax"}. */
    public String layerType() {
        return layerType;
    }
}
