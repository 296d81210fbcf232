package dev.propel.model;

import dev.propel.Propel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Saves and loads model files, choosing the format by extension ({@code .pb} for protobuf,
 * {@code .json} for JSON, {@code .onnx} for ONNX) among the {@link ModelFormat}s on the class path.
 *
 * <pre>{@code
 * ModelFiles.save(SavedModel.builder(propel, model).optimizer(adam, true).build(), Path.of("model.pb"));
 * LoadedModel loaded = ModelFiles.load(propel, Path.of("model.pb"));
 * }</pre>
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** The formats installed (found with ServiceLoader). */
    public static List<ModelFormat> formats() {
        List<ModelFormat> all = new ArrayList<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        for (ModelFormat f : ServiceLoader.load(ModelFormat.class, cl != null ? cl : ModelFiles.class.getClassLoader())) {
            all.add(f);
        }
        return all;
    }

    /** The format whose extension {@code path} has, or a {@link ModelFormatException} listing the known ones. */
    public static ModelFormat formatFor(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        List<ModelFormat> formats = formats();
        List<String> known = new ArrayList<>();
        for (ModelFormat f : formats) {
            for (String ext : f.extensions()) {
                if (name.endsWith(ext)) return f;
                known.add(ext + " (" + f.name() + ")");
            }
        }
        if (known.isEmpty() || name.endsWith(".pb") || name.endsWith(".json") || name.endsWith(".onnx")) {
            // The name is fine; the module that reads it is missing from the class path.
            String module = name.endsWith(".json") ? "propel-format-json" : name.endsWith(".pb") ? "propel-format-proto"
                    : name.endsWith(".onnx") ? "propel-format-onnx" : "propel-format-proto, propel-format-json or propel-format-onnx";
            throw new ModelFormatException("no installed model format reads or writes '" + path + "': add " + module
                    + " (or dev.propel:propel-all) to the class path"
                    + (known.isEmpty() ? "" : "; installed: " + String.join(", ", known)));
        }
        throw new ModelFormatException("cannot tell the model format of '" + path + "' from its name; "
                + "use one of the extensions " + String.join(", ", known));
    }

    /** Writes {@code model} to {@code path} (atomically) in the format its extension names. */
    public static void save(SavedModel model, Path path) throws IOException {
        formatFor(path).write(model, path);
    }

    /**
     * Writes {@code model} like {@link #save(SavedModel, Path)}, letting a format that needs them ask the
     * plugins of {@code propel} how to write their layers (see {@link ModelFormat#write(SavedModel, Path, Propel)}).
     */
    public static void save(Propel propel, SavedModel model, Path path) throws IOException {
        formatFor(path).write(model, path, propel);
    }

    /** Reads the model file at {@code path} with new tensors for its values (no plugins needed). */
    public static SavedModel read(Path path) throws IOException {
        requireExists(path);
        return formatFor(path).read(path, TensorReceiver.allocating());
    }

    /**
     * Loads the model at {@code path}: rebuilds it with the plugins of {@code propel} from the file's
     * graph and reads the file's values straight into its parameters.
     */
    public static LoadedModel load(Propel propel, Path path) throws IOException {
        requireExists(path);
        ModelRestorer restorer = new ModelRestorer(propel, path.toString());
        SavedModel saved = formatFor(path).read(path, restorer);
        Model model = restorer.finish();
        model.recordTraining(saved.provenance());
        return new LoadedModel(path, model, saved);
    }

    private static void requireExists(Path path) {
        if (!Files.exists(path)) {
            Path parent = path.toAbsolutePath().getParent();
            throw new ModelNotFoundException("there is no model file " + path
                    + (parent != null && !Files.isDirectory(parent) ? " (its directory " + parent + " does not exist either)" : "")
                    + "; check the path, or save a model there first with ModelFiles.save");
        }
    }
}
