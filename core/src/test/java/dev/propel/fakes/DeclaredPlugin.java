package dev.propel.fakes;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Layer;
import dev.propel.spi.LayerFactory;
import dev.propel.spi.LayerSetup;
import dev.propel.spi.SpiVersion;
import jakarta.inject.Inject;

import java.util.function.Supplier;

/**
 * A test plugin that says whatever a test tells it: its name, version and SPI version, and the type
 * id of its one layer (each may also throw). By default a valid plugin "declared" 1.0.0 built for
 * this core's SPI, providing layer {@code declared_identity}.
 */
public final class DeclaredPlugin extends AbstractPropelPlugin {
    private final Supplier<String> name;
    private final Supplier<String> version;
    private final Supplier<String> spiVersion;
    private final Supplier<String> typeId;

    private DeclaredPlugin(Supplier<String> name, Supplier<String> version, Supplier<String> spiVersion,
                           Supplier<String> typeId) {
        this.name = name;
        this.version = version;
        this.spiVersion = spiVersion;
        this.typeId = typeId;
    }

    public static DeclaredPlugin valid() {
        return new DeclaredPlugin(() -> "declared", () -> "1.0.0", () -> SpiVersion.CURRENT, () -> "declared_identity");
    }

    public DeclaredPlugin name(Supplier<String> s) {
        return new DeclaredPlugin(s, version, spiVersion, typeId);
    }

    public DeclaredPlugin version(Supplier<String> s) {
        return new DeclaredPlugin(name, s, spiVersion, typeId);
    }

    public DeclaredPlugin spiVersion(Supplier<String> s) {
        return new DeclaredPlugin(name, version, s, typeId);
    }

    public DeclaredPlugin typeId(Supplier<String> s) {
        return new DeclaredPlugin(name, version, spiVersion, s);
    }

    @Override
    public String name() {
        return name.get();
    }

    @Override
    public String version() {
        return version.get();
    }

    @Override
    public String spiVersion() {
        return spiVersion.get();
    }

    @Override
    protected void configurePlugin() {
        bind(TypeId.class).toInstance(new TypeId(typeId));
        layer(Factory.class);
    }

    /** The type id the layer factory reports, as the test gave it. */
    public record TypeId(Supplier<String> value) {
    }

    /** An identity layer with the type id the test chose. */
    public static final class Factory implements LayerFactory {
        private final TypeId typeId;

        @Inject
        public Factory(TypeId typeId) {
            this.typeId = typeId;
        }

        @Override
        public String typeId() {
            return typeId.value().get();
        }

        @Override
        public String description() {
            return "identity (test layer)";
        }

        @Override
        public AttributeSchema schema() {
            return AttributeSchema.empty();
        }

        @Override
        public Layer create(LayerSetup setup) {
            return new ScaleLayerFactory.ScaleLayer(typeId(), setup.name(), setup.attributes(), setup.inputShape(), 1f);
        }
    }
}
