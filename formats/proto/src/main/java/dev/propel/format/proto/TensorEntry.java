package dev.propel.format.proto;

import dev.propel.format.proto.schema.TensorRole;
import dev.propel.tensor.Shape;

/** One checked entry of a file's tensor directory: where its data lies and how large it is. */
record TensorEntry(String name, TensorRole role, Shape shape, long byteLength, long fileOffset) {

    String describe() {
        return switch (role) {
            case OPTIMIZER_STATE -> "optimizer state tensor '";
            case STATE -> "layer state tensor '";
            default -> "tensor '";
        } + name + "' " + shape;
    }
}
