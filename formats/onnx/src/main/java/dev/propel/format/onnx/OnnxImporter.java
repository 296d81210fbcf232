package dev.propel.format.onnx;

import com.google.protobuf.CodedInputStream;
import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.GraphProto;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.format.onnx.ir.OperatorSetIdProto;
import dev.propel.format.onnx.ir.StringStringEntryProto;
import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.format.onnx.ir.TensorShapeProto;
import dev.propel.format.onnx.ir.ValueInfoProto;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.PropelVersion;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model as a Propel model: the one float graph input becomes the model input (axis 0 is
 * the batch), constants and initializers become parameters where a layer takes them, and each node is
 * imported by the {@link LayerMapping} of its operator. Anything else is refused with one line naming
 * the operator, the node, the opset and what is supported.
 */
final class OnnxImporter {
    private static final String DEFAULT_LOSS = "cross_entropy";

    private final String source;
    private final Path dir;

    /** {@code source} names the file in errors; {@code dir} is where its external data may be (null: none). */
    OnnxImporter(String source, Path dir) {
        this.source = source;
        this.dir = dir;
    }

    /** Parses {@code bytes} (a whole .onnx file) and imports it, handing tensors to {@code receiver}. */
    SavedModel read(byte[] bytes, TensorReceiver receiver) throws IOException {
        ModelProto proto = parse(bytes);
        ImportGraph g = importGraph(proto);
        SavedModel header = header(proto, g);
        receiver.begin(header);
        Map<String, Tensor> received = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : g.parameters().entrySet()) {
            Tensor target = receiver.parameter(e.getKey(), e.getValue().shape());
            target.copyFrom(e.getValue());
            received.put(e.getKey(), target);
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : g.layerState().entrySet()) {
            Tensor target = receiver.layerState(e.getKey(), e.getValue().shape());
            target.copyFrom(e.getValue());
            state.put(e.getKey(), target);
        }
        return header.withTensors(received, state, null);
    }

    private ModelProto parse(byte[] bytes) {
        // A parse error (InvalidProtocolBufferException) is the file's fault: truncated, bit-flipped or not ONNX.
        if (bytes.length == 0) throw new ModelFormatException(source + ": empty file, not an ONNX model");
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(bytes.length);
            ModelProto proto = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            return proto;
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not a readable ONNX model (" + e.getMessage()
                    + "); the file is truncated, damaged or not ONNX");
        }
    }

    private ImportGraph importGraph(ModelProto proto) throws IOException {
        if (proto.getIrVersion() < 3 || proto.getIrVersion() > OnnxVersions.MAX_IR_VERSION || !proto.hasGraph()) {
            throw new ModelFormatException(source + ": not an ONNX model Propel reads: IR version " + proto.getIrVersion()
                    + (proto.hasGraph() ? "" : " and no graph") + "; Propel reads IR versions 3 to " + OnnxVersions.MAX_IR_VERSION);
        }
        long opset = opset(proto);
        GraphProto graph = proto.getGraph();
        List<OnnxNode> nodes = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) nodes.add(new OnnxNode(i, graph.getNode(i)));
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(o -> outputs.add(o.getName()));
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        ValueInfoProto input = modelInput(graph, initializers);
        TensorShapeProto.Dimension batch = input.getType().getTensorType().getShape().getDim(0);
        ImportGraph g = new ImportGraph(source, opset, batch.hasDimValue() ? batch.getDimValue() : -1,
                proto.getProducerName().equals("propel"), nodes, outputs);
        g.modelInput(input.getName(), perSample(input));
        for (TensorProto t : graph.getInitializerList()) addConstant(g, t.getName(), t, "initializer '" + t.getName() + "'");
        // Checked for every node first: a mapping may fuse a later node, which must then be a default-domain one.
        for (OnnxNode node : nodes) {
            String domain = node.proto().getDomain();
            if (!domain.isEmpty() && !domain.equals("ai.onnx")) throw unsupported(node, opset, "domain '" + domain + "'");
            // A recurrent operator may leave out Y and write only Y_h; every other operator's first output is its result.
            boolean firstOptional = RecurrentGates.operators().contains(node.opType());
            if (node.outputs().stream().allMatch(String::isEmpty) || node.output().isEmpty() && !firstOptional) throw g.refuse(node, "has no output");
        }
        for (OnnxNode node : nodes) {
            if (g.isConsumed(node)) continue;
            if (node.opType().equals("Constant")) {
                constantNode(g, node);
            } else if (node.opType().equals("Transpose") && g.floatConstant(node.input(0)) != null) {
                g.constant(node.output(), transposed(g, node));
            } else if (ShapeFolding.fold(g, node)) {
                continue;
            } else if (g.deferred(node.input(0)) != null && RecurrentImport.VIEW_OPERATORS.contains(node.opType())) {
                RecurrentImport.view(g, node);
            } else {
                LayerMapping m = LayerMappings.forOperator(node.opType());
                if (m == null) throw unsupported(node, opset, null);
                m.importNode(g, node);
            }
        }
        for (ValueInfoProto o : graph.getOutputList()) g.producerOf(o.getName()); // a recurrent output read by no node becomes its layer here
        if (g.layers().isEmpty()) throw new ModelFormatException(source + ": the graph computes nothing Propel can hold (no layers)");
        return g;
    }

    private long opset(ModelProto proto) {
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() < OnnxVersions.MIN_IMPORT_OPSET || o.getVersion() > OnnxVersions.MAX_IMPORT_OPSET) {
                    throw new ModelFormatException(source + ": uses ONNX opset " + o.getVersion() + "; Propel imports opsets "
                            + OnnxVersions.MIN_IMPORT_OPSET + " to " + OnnxVersions.MAX_IMPORT_OPSET
                            + " (convert it with onnx.version_converter first)");
                }
                return o.getVersion();
            }
        }
        throw new ModelFormatException(source + ": imports no version of the default ONNX operator set; not a model Propel reads");
    }

    private ValueInfoProto modelInput(GraphProto graph, Set<String> initializers) {
        List<ValueInfoProto> inputs = graph.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
        if (inputs.size() != 1) {
            throw new ModelFormatException(source + ": the graph has " + inputs.size() + " inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                    + "; a Propel model has exactly one input (make the others initializers)");
        }
        ValueInfoProto in = inputs.getFirst();
        if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new ModelFormatException(source + ": graph input '" + in.getName() + "' is not a float32 tensor; Propel models take float32");
        }
        if (in.getType().getTensorType().getShape().getDimCount() < 2) {
            throw new ModelFormatException(source + ": graph input '" + in.getName() + "' has rank "
                    + in.getType().getTensorType().getShape().getDimCount() + "; Propel needs [batch, features...] (rank 2 or more)");
        }
        return in;
    }

    private Shape perSample(ValueInfoProto in) {
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        int[] out = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue() || d.getDimValue() < 1 || d.getDimValue() > Integer.MAX_VALUE) {
                throw new ModelFormatException(source + ": graph input '" + in.getName() + "' has axis " + i + " of size "
                        + (d.hasDimValue() ? Long.toString(d.getDimValue()) : "'" + d.getDimParam() + "' (symbolic)")
                        + "; Propel needs fixed sizes on every axis but the batch (export with a fixed input shape)");
            }
            out[i - 1] = Math.toIntExact(d.getDimValue());
        }
        return Shape.of(out);
    }

    private void addConstant(ImportGraph g, String name, TensorProto t, String what) throws IOException {
        if (OnnxTensors.isFloat(t)) g.constant(name, OnnxTensors.readFloat(t, source + ": " + what, dir));
        else if (OnnxTensors.isInteger(t)) g.constant(name, OnnxTensors.readIntegers(t, source + ": " + what, dir));
        // Other types (bool, strings, ...) stay unknown: a node reading one is refused as reading no value.
    }

    private void constantNode(ImportGraph g, OnnxNode node) throws IOException {
        AttributeProto a = node.proto().getAttributeCount() == 1 ? node.proto().getAttribute(0) : null;
        String what = source + ": " + node.describe();
        if (a == null) throw g.refuse(node, "needs exactly one value attribute");
        switch (a.getName()) {
            case "value" -> addConstant(g, node.output(), a.getT(), node.describe());
            case "value_float" -> g.constant(node.output(), Tensor.of(new float[] {a.getF()}));
            case "value_floats" -> {
                float[] v = new float[a.getFloatsCount()];
                for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
                g.constant(node.output(), Tensor.of(v, v.length));
            }
            case "value_int" -> g.constant(node.output(), new long[] {a.getI()});
            case "value_ints" -> g.constant(node.output(), a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw new ModelFormatException(what + " holds a '" + a.getName() + "' constant, which Propel does not import");
        }
    }

    private static Tensor transposed(ImportGraph g, OnnxNode node) {
        Tensor t = g.floatConstant(node.input(0));
        List<Long> perm = node.intsAttr("perm");
        if (t.shape().rank() != 2 || perm != null && !perm.equals(List.of(1L, 0L))) {
            throw g.refuse(node, "transposes a constant of shape " + t.shape() + " with perm " + perm
                    + "; Propel folds only 2-D transposes of constants");
        }
        return t.transpose(0, 1).contiguous();
    }

    private ModelFormatException unsupported(OnnxNode node, long opset, String domain) {
        return new ModelFormatException(source + ": unsupported operator '" + node.opType() + "'" + (domain == null ? "" : " of " + domain)
                + " at " + node.describe() + " (opset " + opset + "); Propel imports " + String.join(", ", LayerMappings.importedOperators()));
    }

    private SavedModel header(ModelProto proto, ImportGraph g) {
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto o : proto.getGraph().getOutputList()) {
            String producer = g.producerOf(o.getName());
            if (producer == null || producer.equals(dev.propel.model.LayerInfo.MODEL_INPUT)) {
                throw new ModelFormatException(source + ": graph output '" + o.getName() + "' is "
                        + (producer == null ? "not computed by any imported layer" : "the input itself") + "; Propel models output a layer");
            }
            outputs.add(producer);
        }
        if (outputs.isEmpty()) throw new ModelFormatException(source + ": the graph has no outputs");
        List<LayerSpec> layers = g.layers();
        boolean lastIsOutput = outputs.equals(List.of(layers.getLast().name()));
        String loss = meta.getOrDefault(OnnxExporter.META_LOSS, DEFAULT_LOSS);
        PredictionRule rule = PredictionRule.IDENTITY.equals(meta.get(OnnxExporter.META_PREDICTION)) ? PredictionRule.identity() : PredictionRule.argmax();
        List<Integer> input = new ArrayList<>();
        for (int d : g.modelInputShape().dims()) input.add(d);
        String version = proto.getProducerName().equals("propel") && !proto.getProducerVersion().isEmpty()
                ? proto.getProducerVersion() : PropelVersion.current();
        try {
            ModelSpec spec = new ModelSpec(input, layers, ComponentSpec.of(loss), null, lastIsOutput ? List.of() : outputs);
            return new SavedModel(new Producer(version, List.of()), spec, g.infos(), rule, null, Map.of(), null);
        } catch (PropelException e) {
            throw new ModelFormatException(source + ": the imported graph is not a valid Propel model: " + e.getMessage(), e);
        }
    }
}
