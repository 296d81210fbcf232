package dev.propel.format.onnx;

/**
 * The ONNX versions Propel writes and reads (docs/onnx.md). Export writes IR version {@value #IR_VERSION}
 * with the default operator set at opset {@value #OPSET} (the first with a {@code Gelu} operator). Import
 * reads default-domain opsets {@value #MIN_IMPORT_OPSET} to {@value #MAX_IMPORT_OPSET}: each operator
 * mapping knows how its attributes changed across those versions.
 */
public final class OnnxVersions {
    /** The ONNX IR version written on export. */
    public static final long IR_VERSION = 9;
    /** The default-domain opset written on export. */
    public static final long OPSET = 20;
    /** The oldest default-domain opset import accepts. */
    public static final long MIN_IMPORT_OPSET = 7;
    /** The newest default-domain opset import accepts. */
    public static final long MAX_IMPORT_OPSET = 23;
    /** The highest IR version import accepts (ONNX 1.19's). */
    public static final long MAX_IR_VERSION = 11;

    private OnnxVersions() {
    }
}
