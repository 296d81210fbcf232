/**
 * The plugin SPI: what a plugin implements and what the core calls. A {@link dev.propel.spi.PropelPlugin}
 * (usually an {@link dev.propel.spi.AbstractPropelPlugin}) is a Guice module that binds factories for
 * {@link dev.propel.spi.Layer}s, {@link dev.propel.spi.Loss}es, {@link dev.propel.spi.Optimizer}s and
 * {@link dev.propel.spi.Schedule}s by type id; each factory declares its attributes in an
 * {@link dev.propel.spi.AttributeSchema}. Also the root of every exception Propel throws on bad input,
 * {@link dev.propel.spi.PropelException}.
 *
 * <p>Part of the plugin API (checked for binary compatibility against {@code core/api-baseline});
 * {@code docs/plugin-guide.md} describes the contracts.
 */
package dev.propel.spi;
