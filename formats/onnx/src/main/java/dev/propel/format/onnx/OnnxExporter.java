package dev.propel.format.onnx;

import com.google.protobuf.ByteString;
import dev.propel.Propel;
import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.GraphProto;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.format.onnx.ir.OperatorSetIdProto;
import dev.propel.format.onnx.ir.StringStringEntryProto;
import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.format.onnx.ir.TensorShapeProto;
import dev.propel.format.onnx.ir.TypeProto;
import dev.propel.format.onnx.ir.ValueInfoProto;
import dev.propel.model.LayerInfo;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFormatException;
import dev.propel.model.PluginRef;
import dev.propel.model.PredictionRule;
import dev.propel.model.SavedModel;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.OperatorExport;
import dev.propel.spi.PropelException;
import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SavedModel} into an ONNX graph: each layer becomes the operators its mapping (built in,
 * or its plugin's {@link OperatorExport}) describes. Values are named after the layers that compute them
 * ({@code "input"} is the model input), parameters keep their Propel names ({@code dense_0.weight}), and
 * tensors of at least {@code externalThreshold} bytes go to the external data file {@code dataFile}.
 */
final class OnnxExporter {
    /** Metadata keys that carry what ONNX has no field for, so a Propel model comes back the same. */
    static final String META_LOSS = "propel.loss";
    static final String META_PREDICTION = "propel.prediction";

    private final SavedModel model;
    private final Propel propel;
    private final long externalThreshold;
    private final String dataFile;
    private final List<Tensor> external = new ArrayList<>();
    private long externalBytes;
    private final Map<String, String> constantOwners = new HashMap<>();
    private int ruleNodes;

    /** The model and the tensors to write, in order, to the external data file. */
    record Result(ModelProto proto, List<Tensor> externalTensors) {
    }

    OnnxExporter(SavedModel model, Propel propel, long externalThreshold, String dataFile) {
        this.model = model;
        this.propel = propel;
        this.externalThreshold = externalThreshold;
        this.dataFile = dataFile;
    }

    Result export() {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("propel");
        Map<String, Shape> shapes = new HashMap<>();
        shapes.put(LayerInfo.MODEL_INPUT, Shape.of(model.spec().inputDims()));
        graph.addInput(valueInfo(LayerInfo.MODEL_INPUT, shapes.get(LayerInfo.MODEL_INPUT)));
        String rule = model.prediction().type();
        if (!rule.equals(PredictionRule.ARGMAX) && !rule.equals(PredictionRule.IDENTITY)) {
            ForwardForwardExport.requireExportable(model);
        }
        ForwardForwardExport ff = rule.equals(ForwardForwardExport.RULE) ? new ForwardForwardExport(model) : null;
        for (int i = 0; i < model.spec().layers().size(); i++) {
            LayerSpec layer = model.spec().layers().get(i);
            LayerInfo info = model.graph().get(i);
            List<Shape> inputShapes = new ArrayList<>();
            for (String in : info.inputs()) inputShapes.add(known(shapes, in, layer));
            List<String> inputs = info.inputs();
            if (ff != null) {
                add(graph, null, ff.before(i, inputs.getFirst(), inputShapes.getFirst().size()));
                inputs = List.of(ff.inputFor(i, inputs.getFirst()));
            }
            Shape out = shapeOf(info.outputShape(), layer);
            shapes.put(layer.name(), out);
            OperatorExport.Request request = new OperatorExport.Request(layer.name(), layer.type(), layer.attributes(), inputs,
                    layer.name(), inputShapes, out, tensorsOf(model.parameters(), layer.name()), tensorsOf(model.layerState(), layer.name()));
            OperatorExport.Exported exported;
            try {
                exported = exporterFor(layer).export(request);
            } catch (ModelFormatException e) {
                throw e;
            } catch (PropelException | ClassCastException | NullPointerException e) {
                throw new ModelFormatException("cannot export layer '" + layer.name() + "' (" + layer.type() + ") to ONNX: " + e.getMessage(), e);
            }
            add(graph, layer, exported);
        }
        List<String> outputs = model.spec().outputs().isEmpty() ? List.of(model.spec().layers().getLast().name()) : model.spec().outputs();
        if (ff != null) {
            add(graph, null, ff.head());
            graph.addOutput(valueInfo(ForwardForwardExport.OUTPUT, Shape.of(ff.classes())));
        } else {
            for (String o : outputs) graph.addOutput(valueInfo(o, shapes.get(o)));
        }
        ModelProto.Builder proto = ModelProto.newBuilder()
                .setIrVersion(OnnxVersions.IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxVersions.OPSET))
                .setProducerName("propel")
                .setProducerVersion(model.producer().propelVersion())
                .setDocString("Exported by Propel from a model of " + model.spec().layers().size() + " layers")
                .setGraph(graph);
        proto.addMetadataProps(meta(META_LOSS, model.spec().loss().type()));
        proto.addMetadataProps(meta(META_PREDICTION, rule.equals(PredictionRule.IDENTITY) ? PredictionRule.IDENTITY : PredictionRule.ARGMAX));
        return new Result(proto.build(), external);
    }

    /** The built-in mapping of the layer's type, else its plugin's {@link OperatorExport}, else a clear refusal. */
    private OperatorExport exporterFor(LayerSpec layer) {
        LayerMapping builtIn = LayerMappings.forLayer(layer.type());
        if (builtIn != null) return builtIn;
        PluginRef plugin = model.producer().providerOf(layer.type());
        String from = plugin == null ? "a plugin the file does not name" : "plugin '" + plugin.name() + "' " + plugin.version();
        if (propel != null) {
            LayerFactory factory;
            try {
                factory = propel.layerFactory(layer.type());
            } catch (PropelException e) {
                throw new ModelFormatException("cannot export layer '" + layer.name() + "' (" + layer.type() + ", from " + from
                        + ") to ONNX: " + e.getMessage());
            }
            if (factory instanceof OperatorExport hook) return hook;
        }
        throw new ModelFormatException("cannot export layer '" + layer.name() + "' (" + layer.type() + ", from " + from + ") to ONNX: "
                + (propel == null ? "it is not a built-in layer and no plugins were given to ask"
                : "its layer factory does not implement " + OperatorExport.class.getName())
                + "; the plugin's author can implement that hook (docs/onnx.md), or replace the layer. Built-in: "
                + LayerMappings.exportedLayers());
    }

    private void add(GraphProto.Builder graph, LayerSpec layer, OperatorExport.Exported exported) {
        String owner = layer == null ? "prediction rule" : layer.name();
        // A layer's first node carries its name (so import names the layer and its parameters the same); the others are "<name>/<Op>_<i>".
        int n = 0;
        for (OperatorExport.Node node : exported.nodes()) {
            NodeProto.Builder b = NodeProto.newBuilder().setOpType(node.opType()).addAllInput(node.inputs()).addAllOutput(node.outputs());
            b.setName(layer != null && n == 0 ? layer.name()
                    : layer != null ? owner + "/" + node.opType() + "_" + n : "ff/" + node.opType() + "_" + ruleNodes++);
            n++;
            node.attributes().forEach((k, v) -> b.addAttribute(attribute(owner, k, v)));
            graph.addNode(b);
        }
        exported.constants().forEach((name, t) -> {
            if (newConstant(owner, name)) graph.addInitializer(initializer(name, t));
        });
        exported.intConstants().forEach((name, v) -> {
            if (newConstant(owner, name)) graph.addInitializer(OnnxTensors.int64s(name, v));
        });
    }

    /** False for a constant the prediction rule already wrote (it shares a few); an error when two layers name one constant. */
    private boolean newConstant(String owner, String name) {
        String before = constantOwners.putIfAbsent(name, owner);
        if (before == null) return true;
        if (before.equals(owner) && owner.equals("prediction rule")) return false;
        throw new ModelFormatException("cannot export to ONNX: " + owner + " and " + before + " both define the constant '" + name
                + "'; a layer's constants must start with its name (OperatorExport.Request#prefix)");
    }

    private TensorProto initializer(String name, Tensor t) {
        long bytes = 4L * t.size();
        if (bytes < externalThreshold) return OnnxTensors.inline(name, t);
        TensorProto p = OnnxTensors.external(name, t.shape(), dataFile, externalBytes, bytes);
        external.add(t);
        externalBytes += bytes;
        return p;
    }

    private static AttributeProto attribute(String owner, String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        switch (v) {
            case Integer i -> a.setType(AttributeProto.AttributeType.INT).setI(i);
            case Long l -> a.setType(AttributeProto.AttributeType.INT).setI(l);
            case Float f -> a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
            case Double d -> a.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
            case String s -> a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
            case Tensor t -> a.setType(AttributeProto.AttributeType.TENSOR).setT(OnnxTensors.inline(name, t));
            case List<?> list when list.stream().allMatch(o -> o instanceof Integer || o instanceof Long) -> {
                a.setType(AttributeProto.AttributeType.INTS);
                list.forEach(o -> a.addInts(((Number) o).longValue()));
            }
            case List<?> list when list.stream().allMatch(o -> o instanceof Float || o instanceof Double) -> {
                a.setType(AttributeProto.AttributeType.FLOATS);
                list.forEach(o -> a.addFloats(((Number) o).floatValue()));
            }
            case List<?> list when list.stream().allMatch(o -> o instanceof String) -> {
                a.setType(AttributeProto.AttributeType.STRINGS);
                list.forEach(o -> a.addStrings(ByteString.copyFromUtf8((String) o)));
            }
            default -> throw new ModelFormatException(owner + ": operator attribute '" + name + "' has the value " + v
                    + " of a type ONNX attributes cannot hold (use int, long, float, string, Tensor or lists of those)");
        }
        return a.build();
    }

    static ValueInfoProto valueInfo(String name, Shape perSample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (int d : perSample.dims()) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static StringStringEntryProto meta(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static Map<String, Tensor> tensorsOf(Map<String, Tensor> all, String layer) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        String prefix = layer + ".";
        all.forEach((k, t) -> {
            if (k.startsWith(prefix)) mine.put(k.substring(prefix.length()), t);
        });
        return mine;
    }

    private static Shape known(Map<String, Shape> shapes, String name, LayerSpec layer) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new ModelFormatException("cannot export layer '" + layer.name() + "': it reads '" + name + "', which no earlier layer computes");
        }
        return s;
    }

    private static Shape shapeOf(List<Integer> dims, LayerSpec layer) {
        if (dims.isEmpty()) {
            throw new ModelFormatException("cannot export layer '" + layer.name() + "': the model does not record its output shape"
                    + " (a hand-written spec); build it with Propel and save it once, then export");
        }
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }
}
