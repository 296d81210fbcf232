package dev.propel.spi;

import dev.propel.tensor.Shape;
import dev.propel.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hook through which a plugin's layer leaves Propel as a graph of standard operators (an ONNX file,
 * see docs/onnx.md). A {@link LayerFactory} implements it when its layers can be written that way; the
 * exporter calls {@link #export} once per layer of the type. Without it, exporting a model with such a
 * layer fails with an error naming the layer, its plugin and this interface.
 *
 * <p>The description is neutral data, with no format's classes in it: operator types, attribute names
 * and semantics are those of the ONNX operator specification (default domain) at the opset the exporter
 * documents; tensors are float32. Values are named by strings: the layer reads {@link Request#inputs()},
 * must write its result to {@link Request#output()}, and names anything in between and its constants
 * starting with {@link Request#prefix()} so that no two layers' names collide. Every value has the batch
 * as its axis 0; the shapes given here are per sample (without the batch).
 *
 * <pre>{@code
 * public Exported export(Request r) {       // y = swish(x) = x · sigmoid(x)
 *     String s = r.prefix() + "sigmoid";
 *     return new Exported(List.of(
 *             Node.of("Sigmoid", List.of(r.inputs().getFirst()), s),
 *             Node.of("Mul", List.of(r.inputs().getFirst(), s), r.output())), Map.of());
 * }
 * }</pre>
 */
public interface OperatorExport {

    /** Describes the layer {@code layer} as operators. Throws a {@link PropelException} when these attributes cannot be exported. */
    Exported export(Request layer);

    /**
     * One layer to export: its name, its resolved attributes (as saved), the names of the values it reads
     * and of the value it must produce, per-sample shapes, and its parameter and state tensors by their
     * short names (e.g. {@code weight}, without the layer name).
     */
    record Request(String name, String type, Map<String, Object> attributes, List<String> inputs, String output,
                   List<Shape> inputShapes, Shape outputShape, Map<String, Tensor> parameters, Map<String, Tensor> state) {
        /** Checks the names and copies the collections. */
        public Request {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(output, "output");
            attributes = Map.copyOf(attributes);
            inputs = List.copyOf(inputs);
            inputShapes = List.copyOf(inputShapes);
            parameters = Map.copyOf(parameters);
            state = Map.copyOf(state);
        }

        /** The prefix for names of this layer's intermediate values and constants: {@code "<name>/"}. */
        public String prefix() {
            return name + "/";
        }
    }

    /**
     * One operator: its type (e.g. {@code "Gemm"}), the values it reads and writes, and its attributes.
     * Attribute values may be {@link Integer}, {@link Long}, {@link Float}, {@link String}, {@link Tensor}
     * or lists of integers, longs, floats or strings.
     */
    record Node(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {
        /** Checks the operator type and copies the lists and attributes (attribute order kept). */
        public Node {
            Objects.requireNonNull(opType, "opType");
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        /** A node with one output and no attributes. */
        public static Node of(String opType, List<String> inputs, String output) {
            return new Node(opType, inputs, List.of(output), Map.of());
        }
    }

    /**
     * A layer's operators, in an order where each reads only values written before it (or the layer's
     * inputs and constants); its float constants by value name (stored as float32 initializers, e.g. a
     * weight) and its integer constants (stored as 1-D int64 initializers, e.g. the shape a
     * {@code Reshape} reads).
     */
    record Exported(List<Node> nodes, Map<String, Tensor> constants, Map<String, List<Long>> intConstants) {
        /** Copies the nodes and constants (constant order kept). */
        public Exported {
            nodes = List.copyOf(nodes);
            constants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constants));
            intConstants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intConstants));
        }

        /** Operators with float constants only. */
        public Exported(List<Node> nodes, Map<String, Tensor> constants) {
            this(nodes, constants, Map.of());
        }
    }
}
