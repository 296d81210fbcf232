package dev.propel.spi;

/** Makes losses of one type, keyed by a stable type id such as {@code "cross_entropy"}. */
public interface LossFactory {

    /**
     * The type id a spec names, e.g. {@code cross_entropy}: lower case, digits and underscores, unique among installed
     * plugins.
     */
    String typeId();

    /** One line for {@code propel plugins}: what the loss computes. */
    String description();

    /** The attributes the loss accepts, with types, defaults and ranges; checked before {@link #create}. */
    AttributeSchema schema();

    /** Creates the loss from attributes already checked and completed against {@link #schema()}. */
    Loss create(Attributes attributes);
}
