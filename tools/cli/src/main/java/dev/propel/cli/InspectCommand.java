package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFiles;
import dev.propel.model.PluginRef;
import dev.propel.model.Provenance;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code propel inspect}: what a model file holds: layers, shapes, parameter counts, provenance. Needs no plugin. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what a model file (.pb, .json or .onnx) holds: layers, parameters, loss, optimizer, training record and plugins.",
                "Layers are listed with shapes, attributes and parameter counts. Example: propel inspect model.pb"})
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.pb, .json or .onnx).")
    private Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        SavedModel m = ModelIo.read(file);
        root.out.println(json ? Json.write(toJson(file, m)) : text(file, m));
        return 0;
    }

    /**
     * Parameters by layer name: a layer owns the tensors named {@code <layer>.*}. Made in one pass over
     * the tensors (every prefix before a dot), so that inspecting 100k layers is not 100k x tensors.
     */
    static Map<String, Long> layerParameters(SavedModel m) {
        Map<String, Long> byLayer = new java.util.HashMap<>();
        for (Map.Entry<String, Tensor> e : m.parameters().entrySet()) {
            String name = e.getKey();
            for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
                byLayer.merge(name.substring(0, dot), (long) e.getValue().size(), Long::sum);
            }
        }
        return byLayer;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    static String text(Path file, SavedModel m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s model file, %,d bytes, written by Propel %s%n", file,
                ModelFiles.formatFor(file).name(), size(file), m.producer().propelVersion()));
        for (PluginRef p : m.producer().plugins()) {
            sb.append("  plugin ").append(p.name()).append(' ').append(p.version()).append(": ").append(String.join(", ", p.types())).append('\n');
        }
        sb.append("input ").append(m.spec().input()).append('\n');
        sb.append(String.format(Locale.ROOT, "  %-3s %-16s %-12s %-14s %12s  %s%n", "#", "layer", "type", "output", "parameters", "attributes"));
        Map<String, Long> parameters = layerParameters(m);
        for (int i = 0; i < m.spec().layers().size(); i++) {
            LayerSpec l = m.spec().layers().get(i);
            LayerInfo g = m.graph().get(i);
            sb.append(String.format(Locale.ROOT, "  %-3d %-16s %-12s %-14s %,12d  %s%n", i, l.name(), l.type(),
                    g.outputShape().isEmpty() ? "?" : g.outputShape().toString(), parameters.getOrDefault(l.name(), 0L), attributes(l.attributes())));
        }
        sb.append(String.format(Locale.ROOT, "parameters: %,d in %d tensors (%,d bytes as float32)%n", m.parameterCount(),
                m.parameters().size(), m.parameterCount() * 4));
        sb.append("loss: ").append(component(m.spec().loss())).append('\n');
        if (m.spec().optimizer() != null) {
            sb.append("optimizer: ").append(component(m.spec().optimizer()));
            sb.append(m.optimizerState() == null ? ", no state saved\n"
                    : String.format(Locale.ROOT, ", state saved (%,d steps, %d tensors): training can resume exactly%n",
                    m.optimizerState().stepCount(), m.optimizerState().tensors().size()));
        }
        sb.append("prediction: ").append(m.prediction().type()).append(m.prediction().attributes().isEmpty() ? ""
                : " " + attributes(m.prediction().attributes())).append('\n');
        Provenance p = m.provenance();
        if (p == null) {
            sb.append("not trained (no training record)\n");
        } else {
            sb.append(String.format(Locale.ROOT, "trained: %s, %d epochs, %s, batch size %d, seed %d%s%s, %.1f s on %d threads%n",
                    p.algorithm(), p.epochs(), p.gradientDescent().replace('_', '-'), p.batchSize(), p.seed(),
                    p.validationSplit() > 0 ? ", validation split " + p.validationSplit() : "",
                    p.clipNorm() > 0 ? ", clip norm " + p.clipNorm() : "", p.wallSeconds(), p.threads()));
            if (!p.settings().isEmpty()) sb.append("  settings: ").append(attributes(p.settings())).append('\n');
            if (p.schedule() != null) {
                List<String> parts = new ArrayList<>();
                for (ComponentSpec c : p.schedule().chain()) parts.add(component(c));
                sb.append(String.format(Locale.ROOT, "  learning-rate schedule: %s, per %s, %,d steps taken%n", String.join(" > ", parts),
                        p.schedule().per(), p.schedule().step()));
            }
            if (p.dataset() != null) {
                sb.append(String.format(Locale.ROOT, "  data: %s, %,d examples, %s%n", p.dataset().name(), p.dataset().examples(),
                        p.dataset().contentHash()));
            }
            // Without a validation split the held-out numbers are the test split's, and train calls them so.
            String heldOut = p.validationSplit() > 0 ? "validation" : "test";
            for (EpochMetrics e : p.metrics()) {
                sb.append(String.format(Locale.ROOT, "  epoch %d: train loss %s acc %s, %s loss %s acc %s, lr %s, %.1f s%n",
                        e.epoch(), f(e.trainLoss()), f(e.trainAccuracy()), heldOut, f(e.validationLoss()), f(e.validationAccuracy()),
                        PlainNumbers.plain(e.learningRate()), e.seconds()));
            }
            if (!p.stopReason().isEmpty()) sb.append("  stopped: ").append(p.stopReason()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static String f(float v) {
        return Float.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String component(ComponentSpec c) {
        return c.type() + (c.attributes().isEmpty() ? "" : " " + attributes(c.attributes()));
    }

    private static String attributes(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        a.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(PlainNumbers.plain(v)));
        return sb.toString();
    }

    static ObjectNode toJson(Path file, SavedModel m) {
        ObjectNode root = Json.object();
        root.put("file", file.toString());
        root.put("format", ModelFiles.formatFor(file).name());
        root.put("bytes", size(file));
        root.put("propel_version", m.producer().propelVersion());
        ArrayNode plugins = root.putArray("plugins");
        for (PluginRef p : m.producer().plugins()) {
            ObjectNode o = plugins.addObject().put("name", p.name()).put("version", p.version());
            p.types().forEach(o.putArray("types")::add);
        }
        m.spec().input().forEach(root.putArray("input")::add);
        ArrayNode layers = root.putArray("layers");
        Map<String, Long> parameters = layerParameters(m);
        for (int i = 0; i < m.spec().layers().size(); i++) {
            LayerSpec l = m.spec().layers().get(i);
            LayerInfo g = m.graph().get(i);
            ObjectNode o = layers.addObject().put("name", l.name()).put("type", l.type());
            g.inputs().forEach(o.putArray("inputs")::add);
            g.inputShape().forEach(o.putArray("input_shape")::add);
            g.outputShape().forEach(o.putArray("output_shape")::add);
            o.put("parameters", parameters.getOrDefault(l.name(), 0L));
            o.set("attributes", Json.value(l.attributes()));
        }
        root.put("parameters", m.parameterCount());
        ArrayNode tensors = root.putArray("tensors");
        m.parameters().forEach((name, t) -> {
            ObjectNode o = tensors.addObject().put("name", name);
            for (int d : t.shape().dims()) o.withArray("shape").add(d);
        });
        root.set("loss", componentJson(m.spec().loss()));
        if (m.spec().optimizer() != null) root.set("optimizer", componentJson(m.spec().optimizer()));
        if (m.optimizerState() != null) {
            root.putObject("optimizer_state").put("type", m.optimizerState().type()).put("step_count", m.optimizerState().stepCount())
                    .put("tensors", m.optimizerState().tensors().size());
        }
        root.set("prediction", componentJson(new ComponentSpec(m.prediction().type(), m.prediction().attributes())));
        Provenance p = m.provenance();
        if (p != null) {
            ObjectNode o = root.putObject("provenance").put("algorithm", p.algorithm()).put("epochs", p.epochs())
                    .put("gradient_descent", p.gradientDescent()).put("batch_size", p.batchSize()).put("seed", p.seed())
                    .put("shuffle", p.shuffle()).put("validation_split", p.validationSplit()).put("clip_norm", p.clipNorm())
                    .put("threads", p.threads()).put("stop_reason", p.stopReason());
            Json.putSeconds(o, "wall_seconds", p.wallSeconds());
            o.set("settings", Json.value(p.settings()));
            if (p.schedule() != null) {
                ObjectNode s = o.putObject("schedule").put("per", p.schedule().per()).put("step", p.schedule().step());
                ArrayNode chain = s.putArray("chain");
                p.schedule().chain().forEach(c -> chain.add(componentJson(c)));
            }
            if (p.dataset() != null) {
                o.putObject("dataset").put("name", p.dataset().name()).put("content_hash", p.dataset().contentHash())
                        .put("examples", p.dataset().examples());
            }
            ArrayNode metrics = o.putArray("metrics");
            for (EpochMetrics e : p.metrics()) {
                ObjectNode em = metrics.addObject().put("epoch", e.epoch());
                Json.putMetric(em, "train_loss", e.trainLoss());
                Json.putMetric(em, "train_accuracy", e.trainAccuracy());
                Json.putMetric(em, "validation_loss", e.validationLoss());
                Json.putMetric(em, "validation_accuracy", e.validationAccuracy());
                Json.putMetric(em, "learning_rate", e.learningRate());
                Json.putSeconds(em, "seconds", e.seconds());
            }
        }
        return root;
    }

    private static ObjectNode componentJson(ComponentSpec c) {
        ObjectNode o = Json.object().put("type", c.type());
        o.set("attributes", Json.value(c.attributes()));
        return o;
    }
}
