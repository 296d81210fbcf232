/**
 * Models and model files: {@link dev.propel.model.ModelSpec} (the data that describes a model), the live
 * {@link dev.propel.model.Model} with its parameters, {@link dev.propel.model.ModelSession} (the buffers of a
 * forward/backward pass, one per thread), and {@link dev.propel.model.ModelFiles}, which saves and loads
 * {@link dev.propel.model.SavedModel}s through the {@link dev.propel.model.ModelFormat}s on the class path
 * ({@code .pb}, {@code .json}, {@code .onnx}).
 */
package dev.propel.model;
