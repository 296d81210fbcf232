package dev.propel.spi;

/** Makes optimizers of one type, keyed by a stable type id such as {@code "adam"}. */
public interface OptimizerFactory {

    String typeId();

    String description();

    AttributeSchema schema();

    Optimizer create(Attributes attributes);
}
