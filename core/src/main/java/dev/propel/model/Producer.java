package dev.propel.model;

import java.util.List;
import java.util.Objects;

/** What wrote a saved model: the Propel version and the plugins whose types the model uses. */
public record Producer(String propelVersion, List<PluginRef> plugins) {
    /** Checks the fields and copies the plugin list. */
    public Producer {
        Objects.requireNonNull(propelVersion, "propelVersion");
        plugins = List.copyOf(plugins);
    }

    /** The plugin recorded as providing {@code typeId}, or null when the file does not say. */
    public PluginRef providerOf(String typeId) {
        for (PluginRef p : plugins) {
            if (p.types().contains(typeId)) return p;
        }
        return null;
    }
}
