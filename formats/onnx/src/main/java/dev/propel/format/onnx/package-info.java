/**
 * The {@code .onnx} model format: export of Propel models to ONNX (run by ONNX Runtime) and import of
 * models exported by PyTorch, through per-layer mappings; {@link dev.propel.format.onnx.OnnxModelFormat} is
 * the {@link dev.propel.model.ModelFormat} found by {@link java.util.ServiceLoader}. {@code docs/onnx.md}
 * lists the operators.
 */
package dev.propel.format.onnx;
