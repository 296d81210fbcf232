package dev.propel.format.onnx;

import dev.propel.Propel;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.model.AtomicFiles;
import dev.propel.model.ModelFormat;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code .onnx} model format (docs/onnx.md): export of a Propel model as an ONNX graph (IR version
 * {@value OnnxVersions#IR_VERSION}, opset {@value OnnxVersions#OPSET}) and import of ONNX models made of
 * the supported operators. Found by {@link dev.propel.model.ModelFiles} through ServiceLoader.
 *
 * <p>Tensors of at least {@code externalThreshold} bytes are written to the external data file
 * {@code <model file name>.data} beside the model; by default only when the tensors together would not fit
 * a protobuf message (about 2 GB).
 */
public final class OnnxModelFormat implements ModelFormat {
    /** The default threshold: tensors stay inline while the model fits a protobuf message. */
    public static final long AUTOMATIC = -1;
    /** Protobuf messages are limited to 2 GiB; inline tensors must stay well below it. */
    private static final long INLINE_LIMIT = 1L << 30;

    private final long externalThreshold;

    /**
     * The format as {@link java.util.ServiceLoader} makes it: tensors inline while the model fits one protobuf
     * message, external data beyond.
     */
    public OnnxModelFormat() {
        this(AUTOMATIC);
    }

    /** A format that stores tensors of at least {@code externalThreshold} bytes as external data ({@link #AUTOMATIC}: only when needed). */
    public OnnxModelFormat(long externalThreshold) {
        if (externalThreshold < 0 && externalThreshold != AUTOMATIC) {
            throw new IllegalArgumentException("external data threshold must be >= 0 bytes (or AUTOMATIC), got " + externalThreshold);
        }
        this.externalThreshold = externalThreshold;
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public List<String> extensions() {
        return List.of(".onnx");
    }

    @Override
    public void write(SavedModel model, Path path) throws IOException {
        write(model, path, null);
    }

    @Override
    public void write(SavedModel model, Path path, Propel propel) throws IOException {
        String dataName = path.getFileName() + ".data";
        OnnxExporter.Result result = new OnnxExporter(model, propel, threshold(model), dataName).export();
        if (!result.externalTensors().isEmpty()) {
            AtomicFiles.write(path.resolveSibling(dataName), channel -> {
                for (Tensor t : result.externalTensors()) {
                    ByteBuffer buf = ByteBuffer.wrap(OnnxTensors.bytes(t));
                    while (buf.hasRemaining()) channel.write(buf);
                }
            });
        }
        ModelProto proto = result.proto();
        AtomicFiles.write(path, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            proto.writeTo(out);
            out.flush();
        });
    }

    private long threshold(SavedModel model) {
        if (externalThreshold != AUTOMATIC) return externalThreshold;
        long bytes = 4L * model.parameterCount();
        return bytes < INLINE_LIMIT ? Long.MAX_VALUE : 1024;
    }

    @Override
    public SavedModel read(Path path, TensorReceiver receiver) throws IOException {
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path + ": " + size + " bytes, more than an ONNX protobuf may hold (2 GiB); a large model"
                    + " keeps its tensors in external data files");
        }
        byte[] bytes = Files.readAllBytes(path);
        Path dir = path.toAbsolutePath().getParent();
        return new OnnxImporter(path.toString(), dir).read(bytes, receiver);
    }

    /** Reads an ONNX model from bytes in memory (no external data); {@code name} names it in errors. */
    public SavedModel read(String name, byte[] bytes, TensorReceiver receiver) throws IOException {
        return new OnnxImporter(name, null).read(bytes, receiver);
    }
}
