package dev.propel.format.json;

import dev.propel.model.AtomicFiles;
import dev.propel.model.ModelFormat;
import dev.propel.model.ModelSpec;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON model form ({@code .json}): the same model as a {@code .pb} file, readable by a person
 * (docs/format.md). Without tensors, the same object is a model spec, which {@link #readSpec} reads
 * for {@code propel train}.
 */
public final class JsonModelFormat implements ModelFormat {

    @Override
    public String name() {
        return "json";
    }

    @Override
    public List<String> extensions() {
        return List.of(".json");
    }

    @Override
    public void write(SavedModel model, Path path) throws IOException {
        AtomicFiles.write(path, channel -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            JsonModelWriter.write(model, out);
            out.flush();
        });
    }

    /** The JSON text of {@code model}. */
    public static String toJson(SavedModel model) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            JsonModelWriter.write(model, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public SavedModel read(Path path, TensorReceiver receiver) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return JsonModelReader.readModel(path.toString(), new java.io.BufferedInputStream(in, 1 << 16), Files.size(path), receiver);
        }
    }

    /** Reads a model from JSON text; {@code name} names it in errors. */
    public static SavedModel fromJson(String json, String name, TensorReceiver receiver) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonModelReader.readModel(name, new ByteArrayInputStream(bytes), bytes.length, receiver);
    }

    /**
     * The model spec in a JSON file: {@code {"input": [784], "layers": [{"type": "dense", "units": 512}, ...],
     * "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "learning_rate": 0.001}}}. In a layer
     * object {@code type} and the optional {@code name} are special; every other key is an attribute. A full
     * model file is a spec too (its tensors are skipped).
     */
    public static ModelSpec readSpec(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return JsonModelReader.readSpec(path.toString(), new java.io.BufferedInputStream(in, 1 << 16), Files.size(path));
        }
    }

    /** {@link #readSpec(Path)} from JSON text; {@code name} names it in errors. */
    public static ModelSpec parseSpec(String json, String name) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JsonModelReader.readSpec(name, new ByteArrayInputStream(bytes), bytes.length);
    }
}
