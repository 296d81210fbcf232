package dev.propel.format.proto;

import dev.propel.model.AtomicFiles;
import dev.propel.model.ModelFormat;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The {@code .pb} model format: a protobuf header and the tensors streamed in checksummed chunks
 * (docs/format.md). Found by {@link dev.propel.model.ModelFiles} through ServiceLoader.
 */
public final class ProtoModelFormat implements ModelFormat {
    private final int chunkBytes;

    /** The format as {@link java.util.ServiceLoader} makes it. */
    public ProtoModelFormat() {
        this(FileLayout.DEFAULT_CHUNK_BYTES);
    }

    /** A format that writes chunks of {@code chunkBytes} (a multiple of 8, at most 64 MiB); for tests and tuning. */
    public ProtoModelFormat(int chunkBytes) {
        new ProtoModelWriter(chunkBytes);
        this.chunkBytes = chunkBytes;
    }

    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public List<String> extensions() {
        return List.of(".pb");
    }

    @Override
    public void write(SavedModel model, Path path) throws IOException {
        AtomicFiles.write(path, channel -> new ProtoModelWriter(chunkBytes).write(model, channel));
    }

    @Override
    public SavedModel read(Path path, TensorReceiver receiver) throws IOException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            return ProtoModelReader.read(path.toString(), in, receiver);
        }
    }

    /** Reads a model from any seekable channel (e.g. bytes in memory); {@code name} names it in errors. */
    public SavedModel read(String name, SeekableByteChannel in, TensorReceiver receiver) throws IOException {
        return ProtoModelReader.read(name, in, receiver);
    }
}
