package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormatException;
import dev.propel.model.SavedModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Model files for the commands: reading, loading and saving with errors that name the file and the way out. */
final class ModelIo {
    private ModelIo() {
    }

    /** The model in {@code file}, without plugins (for inspect and convert). */
    static SavedModel read(Path file) {
        requireFile(file);
        try {
            return ModelFiles.read(file);
        } catch (IOException e) {
            throw io(file, "read", e);
        } catch (OutOfMemoryError e) {
            throw tooLarge(file, e);
        }
    }

    /** The model in {@code file}, rebuilt with the installed plugins and its values. */
    static LoadedModel load(Propel propel, Path file) {
        requireFile(file);
        try {
            return ModelFiles.load(propel, file);
        } catch (IOException e) {
            throw io(file, "read", e);
        } catch (OutOfMemoryError e) {
            throw tooLarge(file, e);
        }
    }

    static void save(SavedModel model, Path file) {
        try {
            ModelFiles.save(model, file);
        } catch (IOException e) {
            throw io(file, "write", e);
        }
    }

    /** Saves with the plugins of {@code propel} at hand: a format may ask them (ONNX export of a plugin's layer). */
    static void save(Propel propel, SavedModel model, Path file) {
        try {
            ModelFiles.save(propel, model, file);
        } catch (IOException e) {
            throw io(file, "write", e);
        }
    }

    /**
     * Fails before a long run when the model could not be saved to {@code file} (given with
     * {@code option}): unknown extension, one of the command's {@code inputs}, or not writable (see
     * {@link OutputFiles#check}).
     */
    static void checkWritable(String option, Path file, Path... inputs) {
        ModelFiles.formatFor(file);
        OutputFiles.check(option, file, java.util.Arrays.asList(inputs));
    }

    private static void requireFile(Path file) {
        if (!Files.exists(file)) throw new ModelFormatException(file + ": no such model file");
        if (Files.isDirectory(file)) throw new ModelFormatException(file + ": is a directory, not a model file");
        // A FIFO would block forever and a device never end: only regular files are opened.
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": not a regular file (a pipe, device or socket), so it is not read; give a model file");
        }
    }

    /**
     * Reading a model file exhausted the heap: what the file asks for is not what a model of this heap
     * can be (a reader bounds what it can, e.g. the .pb header; the JSON header is read whole).
     */
    private static ModelFormatException tooLarge(Path file, OutOfMemoryError e) {
        return new ModelFormatException(file + ": too large or hostile: reading it exhausted the " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB heap (" + e.getMessage() + "); a genuine model this large needs a larger heap (-Xmx)");
    }

    private static UncheckedIOException io(Path file, String verb, IOException e) {
        String why = e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
        return new UncheckedIOException("cannot " + verb + " " + file + ": " + why, e);
    }
}
