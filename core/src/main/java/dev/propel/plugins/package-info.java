/**
 * Loading plugins from plugin directories, each in its own class loader that sees only the plugin API
 * ({@link dev.propel.plugins.PluginApi}), and the checks a plugin passes when it is registered
 * ({@link dev.propel.plugins.PluginValidation}). Plugins on the class path need none of this: they are
 * found with {@link java.util.ServiceLoader}.
 */
package dev.propel.plugins;
