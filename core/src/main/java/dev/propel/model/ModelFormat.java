package dev.propel.model;

import dev.propel.Propel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model file format (protobuf, JSON, ...), found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.propel.model.ModelFormat}. {@link ModelFiles} picks one by file extension.
 */
public interface ModelFormat {

    /** Short name, e.g. {@code "protobuf"}. */
    String name();

    /** File extensions this format reads and writes, lower case with the dot, e.g. {@code ".pb"}. */
    List<String> extensions();

    /**
     * Writes {@code model} to {@code path} atomically: into a temporary file in the same directory,
     * synced, then renamed over {@code path}, so a crash never leaves a damaged file behind.
     */
    void write(SavedModel model, Path path) throws IOException;

    /**
     * Writes {@code model} like {@link #write(SavedModel, Path)}, with the plugins of {@code propel} at hand
     * for a format that asks them how to write their layers (ONNX export, through
     * {@link dev.propel.spi.OperatorExport}). Formats that store layers generically ignore {@code propel}.
     */
    default void write(SavedModel model, Path path, Propel propel) throws IOException {
        write(model, path);
    }

    /**
     * Reads the model at {@code path}, putting tensor data where {@code receiver} says. Throws a
     * {@link ModelFormatException} for any problem with the content (truncated, corrupt, hostile,
     * newer major version), naming the file and the offset or tensor; never allocates more than the
     * file's length justifies.
     */
    SavedModel read(Path path, TensorReceiver receiver) throws IOException;
}
