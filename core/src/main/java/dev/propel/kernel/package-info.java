/**
 * The compute kernels every layer, loss and optimizer calls instead of looping over floats: the
 * {@link dev.propel.kernel.Kernels} primitives (element-wise, broadcast, reductions, row gathers and
 * scatters, GEMM and batched GEMM) with two implementations that give the same results, one on the JDK
 * Vector API and a scalar twin, and the thread pool that splits large products over cores.
 *
 * <p>Part of the plugin API (checked for binary compatibility against {@code core/api-baseline}).
 */
package dev.propel.kernel;
