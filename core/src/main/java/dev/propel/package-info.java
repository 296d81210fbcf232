/**
 * The entry point of Propel: {@link dev.propel.Propel}, the registry an application creates (usually once)
 * to find the installed plugins, build models from specs, create optimizers and hold the compute kernels;
 * and {@link dev.propel.PluginInfo}, what it knows about each plugin.
 *
 * <p>Start with {@code docs/embedding.md} for the whole path from a spec to a saved, trained model.
 */
package dev.propel;
