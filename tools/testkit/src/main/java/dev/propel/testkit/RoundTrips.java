package dev.propel.testkit;

import dev.propel.Propel;
import dev.propel.model.LoadedModel;
import dev.propel.model.ModelFiles;
import dev.propel.model.PluginRef;
import dev.propel.model.SavedModel;
import dev.propel.testkit.support.BiasLayer;
import dev.propel.testkit.support.ScaleLayer;
import dev.propel.testkit.support.SliceLayer;
import dev.propel.testkit.support.SquaredErrorLoss;
import dev.propel.testkit.support.TestkitSupportPlugin;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the save → load contracts share: writing a model to a protobuf and a JSON file and loading
 * each back with the same registry.
 */
final class RoundTrips {
    /** The model file formats every type must survive. */
    static final List<String> EXTENSIONS = List.of(".pb", ".json");

    private RoundTrips() {
    }

    /** Fails unless the registry has the testkit's support types, which the round trips build models with. */
    static void requireSupport(Propel propel, Failures f, String contract, String subject) {
        for (String type : List.of(ScaleLayer.TYPE, BiasLayer.TYPE, SliceLayer.TYPE, SquaredErrorLoss.TYPE)) {
            if (propel.providerOf(type) == null) {
                throw f.fail(contract, subject, "the registry lacks the testkit's support type '" + type + "', which the"
                        + " round trip puts next to the type under test; build the registry with"
                        + " Propel.builder().plugin(new TestkitSupportPlugin()) (Testkit.propel() has it). Installed plugins: "
                        + propel.installedSummary() + " (the support plugin is named '" + TestkitSupportPlugin.NAME + "')");
            }
        }
    }

    /**
     * Saves {@code saved} as a {@code .pb} and a {@code .json} file and loads each with {@code propel};
     * the loaded models by extension. Any error fails the contract naming the format.
     */
    static Map<String, LoadedModel> saveAndLoad(Propel propel, SavedModel saved, Failures f, String contract, String subject) {
        Map<String, LoadedModel> loaded = new LinkedHashMap<>();
        Path dir;
        try {
            dir = Files.createTempDirectory("propel-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (String ext : EXTENSIONS) {
                Path file = dir.resolve("model" + ext);
                try {
                    ModelFiles.save(saved, file);
                } catch (IOException | RuntimeException e) {
                    throw f.fail(contract, subject, "saving the model as " + ext + " failed: " + e, e);
                }
                try {
                    loaded.put(ext, ModelFiles.load(propel, file));
                } catch (IOException | RuntimeException e) {
                    throw f.fail(contract, subject, "loading the model saved as " + ext + " failed: " + e.getMessage(), e);
                }
            }
            return loaded;
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Changes every tensor a little (×1.01, + 0.001·(i mod 5)), e.g. a model's parameters or state, so
     * that values a loader did not copy from the file (left as a fresh model initialises them) show up as
     * differences.
     */
    static void perturb(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) {
            float[] d = t.data();
            for (int i = 0; i < t.size(); i++) d[i] = d[i] * 1.01f + 0.001f * (i % 5);
        }
    }

    /** Fails unless the loaded file records that the registry's provider of {@code typeId} provided it. */
    static void requireProviderRecorded(Propel propel, String typeId, LoadedModel loaded, String via, Failures f,
                                        String contract, String subject) {
        PluginRef ref = loaded.saved().producer().providerOf(typeId);
        String provider = propel.providerOf(typeId);
        if (ref == null || !ref.name().equals(provider)) {
            throw f.fail(contract, subject, via + " records " + (ref == null ? "no plugin" : "plugin '" + ref.name() + "'")
                    + " as the provider of '" + typeId + "' but it is provided by '" + provider + "'");
        }
    }

    /** Per-sample dims as the list a {@link dev.propel.model.ModelSpec} takes. */
    static List<Integer> list(int[] dims) {
        List<Integer> l = new ArrayList<>(dims.length);
        for (int d : dims) l.add(d);
        return l;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover temporary file is harmless.
        }
    }
}
