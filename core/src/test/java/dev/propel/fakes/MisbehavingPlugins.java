package dev.propel.fakes;

import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;

/** Test plugins that the registry must refuse. None is listed in a services file. */
public final class MisbehavingPlugins {
    private MisbehavingPlugins() {
    }

    /** Provides {@code fake_scale}, which {@link FakeCorePlugin} provides already. */
    public static final class Clashing extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "fake-clash";
        }

        @Override
        public String version() {
            return "0.3.0";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            layer(ScaleLayerFactory.class);
        }
    }

    /** Another class calling itself {@code fake-core}. */
    public static final class Impostor extends AbstractPropelPlugin {
        @Override
        public String name() {
            return FakeCorePlugin.NAME;
        }

        @Override
        public String version() {
            return "9.9.9";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            layer(NegateLayerFactory.class);
        }
    }

    /** Built for another major SPI version (3.0) than this core provides. */
    public static final class FutureSpi extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "fake-future";
        }

        @Override
        public String version() {
            return "3.0.0";
        }

        @Override
        public String spiVersion() {
            return "3.0";
        }

        @Override
        protected void configurePlugin() {
            layer(NegateLayerFactory.class);
        }
    }

    /** Fails while binding. */
    public static final class Broken extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "fake-broken";
        }

        @Override
        public String version() {
            return "0.0.1";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            throw new IllegalStateException("missing configuration file broken.properties");
        }
    }
}
