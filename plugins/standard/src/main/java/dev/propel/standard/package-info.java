/**
 * The standard plugin: the built-in layers, losses and optimizers, written only against the SPI like any
 * third-party plugin. {@link dev.propel.standard.StandardPlugin} registers them; {@code propel plugins}
 * lists their type ids and attributes.
 */
package dev.propel.standard;
