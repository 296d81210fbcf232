package dev.propel.format.proto;

import dev.propel.tensor.Shape;

/** One checked entry of a file's tensor directory: where its data lies and how large it is. */
record TensorEntry(String name, boolean optimizerState, Shape shape, long byteLength, long fileOffset) {

    String describe() {
        return (optimizerState ? "optimizer state tensor '" : "tensor '") + name + "' " + shape;
    }
}
