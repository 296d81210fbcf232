package dev.propel.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.OptimizerState;
import dev.propel.model.PluginRef;
import dev.propel.model.Provenance;
import dev.propel.model.ScheduleState;
import dev.propel.model.SavedAttributes;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;
import dev.propel.train.EpochMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link SavedModel} as JSON a person can read and diff: objects indented, lists of numbers
 * on one line. Floats are written in their shortest decimal form that parses back to the same bits;
 * NaN and infinities as the bare tokens {@code NaN}, {@code Infinity}, {@code -Infinity} (as Python's
 * json module does), a NaN with a non-default payload as the string of its bits ({@code "0x7fa00001"}),
 * and a metric that was not measured as {@code null}.
 */
final class JsonModelWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final int CANONICAL_NAN = Float.floatToRawIntBits(Float.NaN);

    private JsonModelWriter() {
    }

    static void write(SavedModel m, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            g.writeStartObject();
            g.writeStringField(JsonFields.FORMAT, JsonFields.FORMAT_NAME);
            g.writeStringField(JsonFields.FORMAT_VERSION, JsonFields.MAJOR + "." + JsonFields.MINOR);
            producer(g, m);
            g.writeFieldName(JsonFields.INPUT);
            ints(g, m.spec().input());
            g.writeArrayFieldStart(JsonFields.LAYERS);
            for (LayerSpec l : m.spec().layers()) {
                g.writeStartObject();
                g.writeStringField(JsonFields.TYPE, l.type());
                g.writeStringField(JsonFields.NAME, l.name());
                attributes(g, "layer '" + l.name() + "'", l.attributes(), Set.of(JsonFields.TYPE, JsonFields.NAME));
                g.writeEndObject();
            }
            g.writeEndArray();
            component(g, JsonFields.LOSS, m.spec().loss());
            if (m.spec().optimizer() != null) component(g, JsonFields.OPTIMIZER, m.spec().optimizer());
            component(g, JsonFields.PREDICTION, new ComponentSpec(m.prediction().type(), m.prediction().attributes()));
            g.writeArrayFieldStart(JsonFields.GRAPH);
            for (LayerInfo info : m.graph()) {
                g.writeStartObject();
                g.writeStringField("name", info.name());
                g.writeFieldName("inputs");
                strings(g, info.inputs());
                g.writeFieldName("input_shape");
                ints(g, info.inputShape());
                g.writeFieldName("output_shape");
                ints(g, info.outputShape());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (m.provenance() != null) provenance(g, m.provenance());
            g.writeFieldName(JsonFields.TENSORS);
            tensors(g, m.parameters());
            if (!m.layerState().isEmpty()) {
                g.writeFieldName(JsonFields.STATE);
                tensors(g, m.layerState());
            }
            OptimizerState s = m.optimizerState();
            if (s != null) {
                g.writeObjectFieldStart(JsonFields.OPTIMIZER_STATE);
                g.writeStringField("type", s.type());
                g.writeNumberField("step_count", s.stepCount());
                g.writeFieldName("tensors");
                tensors(g, s.tensors());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void producer(JsonGenerator g, SavedModel m) throws IOException {
        g.writeObjectFieldStart(JsonFields.PRODUCER);
        g.writeStringField("propel", m.producer().propelVersion());
        g.writeArrayFieldStart("plugins");
        for (PluginRef p : m.producer().plugins()) {
            g.writeStartObject();
            g.writeStringField("name", p.name());
            g.writeStringField("version", p.version());
            g.writeFieldName("types");
            strings(g, p.types());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void component(JsonGenerator g, String field, ComponentSpec c) throws IOException {
        g.writeFieldName(field);
        componentObject(g, field, c);
    }

    private static void componentObject(JsonGenerator g, String field, ComponentSpec c) throws IOException {
        g.writeStartObject();
        g.writeStringField(JsonFields.TYPE, c.type());
        attributes(g, field + " '" + c.type() + "'", c.attributes(), Set.of(JsonFields.TYPE));
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, String owner, Map<String, Object> attributes, Set<String> reserved)
            throws IOException {
        for (Map.Entry<String, Object> e : SavedAttributes.canonical(owner, attributes).entrySet()) {
            if (reserved.contains(e.getKey())) {
                throw new ModelFormatException(owner + " has an attribute named '" + e.getKey()
                        + "', which the JSON form reserves for itself; save this model as .pb instead");
            }
            g.writeFieldName(e.getKey());
            value(g, e.getValue());
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Float f -> g.writeNumber(f);
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) value(g, o);
                g.writeEndArray();
            }
            default -> throw new IllegalStateException("not a canonical attribute value: " + v);
        }
    }

    private static void provenance(JsonGenerator g, Provenance p) throws IOException {
        g.writeObjectFieldStart(JsonFields.PROVENANCE);
        g.writeStringField("algorithm", p.algorithm());
        g.writeNumberField("epochs", p.epochs());
        g.writeStringField("gradient_descent", p.gradientDescent());
        g.writeNumberField("batch_size", p.batchSize());
        g.writeNumberField("seed", p.seed());
        g.writeBooleanField("shuffle", p.shuffle());
        g.writeNumberField("validation_split", p.validationSplit());
        g.writeNumberField("clip_norm", p.clipNorm());
        if (p.dataset() != null) {
            g.writeObjectFieldStart("dataset");
            g.writeStringField("name", p.dataset().name());
            g.writeStringField("content_hash", p.dataset().contentHash());
            g.writeNumberField("examples", p.dataset().examples());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("metrics");
        for (EpochMetrics e : p.metrics()) {
            g.writeStartObject();
            g.writeNumberField("epoch", e.epoch());
            metric(g, "train_loss", e.trainLoss());
            metric(g, "train_accuracy", e.trainAccuracy());
            metric(g, "validation_loss", e.validationLoss());
            metric(g, "validation_accuracy", e.validationAccuracy());
            metric(g, "learning_rate", e.learningRate());
            g.writeNumberField("seconds", e.seconds());
            g.writeNumberField("samples", e.samples());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("wall_seconds", p.wallSeconds());
        g.writeNumberField("threads", p.threads());
        g.writeStringField("stop_reason", p.stopReason());
        g.writeObjectFieldStart("settings");
        attributes(g, "the provenance settings", p.settings(), Set.of());
        g.writeEndObject();
        if (p.schedule() != null) schedule(g, p.schedule());
        g.writeEndObject();
    }

    /** {"per": "batch", "step": 120, "chain": [{"type": "warmup", ...}, {"type": "cosine", ...}]}. */
    private static void schedule(JsonGenerator g, ScheduleState s) throws IOException {
        g.writeObjectFieldStart("schedule");
        g.writeStringField("per", s.per());
        g.writeNumberField("step", s.step());
        g.writeArrayFieldStart("chain");
        for (ComponentSpec c : s.chain()) componentObject(g, "the learning-rate schedule", c);
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A metric; NaN ("not measured") as null. */
    private static void metric(JsonGenerator g, String name, float v) throws IOException {
        if (Float.isNaN(v)) g.writeNullField(name);
        else g.writeNumberField(name, v);
    }

    private static void tensors(JsonGenerator g, Map<String, Tensor> tensors) throws IOException {
        g.writeStartArray();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            g.writeStartObject();
            g.writeStringField("name", e.getKey());
            g.writeFieldName("shape");
            g.writeArray(t.shape().dims(), 0, t.shape().rank());
            g.writeStringField("dtype", "float32");
            g.writeStringField("crc32c", TensorChecksum.hex(TensorChecksum.of(t.data(), t.size())));
            g.writeArrayFieldStart("data");
            float[] d = t.data();
            for (int i = 0, n = t.size(); i < n; i++) {
                float f = d[i];
                int bits = Float.floatToRawIntBits(f);
                if (Float.isNaN(f) && bits != CANONICAL_NAN) {
                    g.writeString(String.format("0x%08x", bits));
                } else {
                    g.writeNumber(f);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, List<Integer> values) throws IOException {
        g.writeStartArray();
        for (int v : values) g.writeNumber(v);
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, List<String> values) throws IOException {
        g.writeStartArray();
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }
}
