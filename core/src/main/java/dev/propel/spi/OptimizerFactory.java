package dev.propel.spi;

/** Makes optimizers of one type, keyed by a stable type id such as {@code "adam"}. */
public interface OptimizerFactory {

    /**
     * The type id a spec names, e.g. {@code adam}: lower case, digits and underscores, unique among installed plugins.
     */
    String typeId();

    /** One line for {@code propel plugins}: the update rule. */
    String description();

    /** The attributes the optimizer accepts (learning rate and the rest), with types, defaults and ranges. */
    AttributeSchema schema();

    /** Creates the optimizer from attributes already checked and completed against {@link #schema()}. */
    Optimizer create(Attributes attributes);
}
