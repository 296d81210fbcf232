/**
 * The contracts a plugin author runs on their own types with JUnit 5: extend
 * {@link dev.propel.testkit.LayerContract}, {@link dev.propel.testkit.LossContract},
 * {@link dev.propel.testkit.OptimizerContract}, {@link dev.propel.testkit.PluginContract} or
 * {@link dev.propel.testkit.KernelFamilyContract} and describe your cases; the contracts check gradients
 * against finite differences, shapes, determinism, thread safety and save/load round trips.
 * {@code docs/plugin-guide.md} and {@code plugins/example} show them in use.
 */
package dev.propel.testkit;
