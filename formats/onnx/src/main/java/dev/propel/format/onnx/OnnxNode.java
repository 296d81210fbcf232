package dev.propel.format.onnx;

import dev.propel.format.onnx.ir.AttributeProto;
import dev.propel.format.onnx.ir.NodeProto;
import dev.propel.model.ModelFormatException;

import java.util.List;

/** A node of an ONNX graph being imported, with its attributes read by name and type, and errors that name it. */
record OnnxNode(int index, NodeProto proto) {

    String opType() {
        return proto.getOpType();
    }

    String name() {
        return proto.getName();
    }

    List<String> inputs() {
        return proto.getInputList();
    }

    List<String> outputs() {
        return proto.getOutputList();
    }

    /** Input {@code i}, or "" when the node has no such input (ONNX marks an omitted optional input by ""). */
    String input(int i) {
        return i < proto.getInputCount() ? proto.getInput(i) : "";
    }

    String output() {
        return proto.getOutput(0);
    }

    /** "node 'fc1' (Gemm)", or "node #3 (Gemm)" for an unnamed one. */
    String describe() {
        return "node " + (name().isEmpty() ? "#" + index : "'" + name() + "'") + " (" + opType() + ")";
    }

    long intAttr(String name, long fallback) {
        AttributeProto a = attribute(name);
        if (a == null) return fallback;
        requireType(a, AttributeProto.AttributeType.INT);
        return a.getI();
    }

    float floatAttr(String name, float fallback) {
        AttributeProto a = attribute(name);
        if (a == null) return fallback;
        requireType(a, AttributeProto.AttributeType.FLOAT);
        return a.getF();
    }

    String stringAttr(String name, String fallback) {
        AttributeProto a = attribute(name);
        if (a == null) return fallback;
        requireType(a, AttributeProto.AttributeType.STRING);
        return a.getS().toStringUtf8();
    }

    List<Long> intsAttr(String name) {
        AttributeProto a = attribute(name);
        if (a == null) return null;
        requireType(a, AttributeProto.AttributeType.INTS);
        return a.getIntsList();
    }

    boolean has(String name) {
        return attribute(name) != null;
    }

    AttributeProto attribute(String name) {
        for (AttributeProto a : proto.getAttributeList()) {
            if (a.getName().equals(name)) return a;
        }
        return null;
    }

    /** A one-line refusal that names this node and the file. */
    ModelFormatException refuse(String source, String why) {
        return new ModelFormatException(source + ": " + describe() + " " + why);
    }

    private void requireType(AttributeProto a, AttributeProto.AttributeType expected) {
        // Files written before the type field existed leave it UNDEFINED; then the value fields decide.
        if (a.getType() != expected && a.getType() != AttributeProto.AttributeType.UNDEFINED) {
            throw new ModelFormatException(describe() + ": attribute '" + a.getName() + "' is of type " + a.getType()
                    + " but " + opType() + " takes " + expected + " there");
        }
    }
}
