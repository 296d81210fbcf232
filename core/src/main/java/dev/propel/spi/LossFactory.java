package dev.propel.spi;

/** Makes losses of one type, keyed by a stable type id such as {@code "cross_entropy"}. */
public interface LossFactory {

    String typeId();

    String description();

    AttributeSchema schema();

    Loss create(Attributes attributes);
}
