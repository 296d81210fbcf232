/**
 * {@link dev.propel.tensor.Tensor}, a float array with a {@link dev.propel.tensor.Shape} (row-major, batch
 * first; images NCHW), and its strided views ({@code slice}, {@code select}, {@code transpose}).
 *
 * <p>Part of the plugin API (checked for binary compatibility against {@code core/api-baseline}).
 */
package dev.propel.tensor;
