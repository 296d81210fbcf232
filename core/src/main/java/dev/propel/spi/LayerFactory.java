package dev.propel.spi;

/**
 * Makes layers of one type. Registered by a plugin; looked up by {@link #typeId()}.
 */
public interface LayerFactory {

    /** The stable id used by the registry, the formats and the CLI, e.g. {@code "dense"}. */
    String typeId();

    /** One line for {@code propel plugins} and error messages. */
    String description();

    /** The attributes the type accepts. */
    AttributeSchema schema();

    /**
     * Creates a layer with freshly initialised parameters. Throws a
     * {@link dev.propel.tensor.ShapeException} naming the layer, the expected and the actual shape
     * when the input shape does not suit the layer.
     */
    Layer create(LayerSetup setup);
}
