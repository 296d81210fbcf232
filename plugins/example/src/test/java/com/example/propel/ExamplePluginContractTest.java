package com.example.propel;

import dev.propel.spi.PropelPlugin;
import dev.propel.testkit.PluginContract;

/** The plugin declares its SPI version, lists itself for ServiceLoader and loads on its own. */
class ExamplePluginContractTest extends PluginContract {

    @Override
    protected PropelPlugin plugin() {
        return new ExamplePlugin();
    }
}
