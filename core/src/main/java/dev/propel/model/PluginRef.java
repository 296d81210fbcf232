package dev.propel.model;

import java.util.List;
import java.util.Objects;

/**
 * A plugin a saved model was made with: its name, its version, and the type ids of this model
 * (layers, loss, optimizer) it provided. Lets a reader that lacks a type say which plugin to install.
 */
public record PluginRef(String name, String version, List<String> types) {
    /** Checks that name and version are present. */
    public PluginRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        types = List.copyOf(types);
    }
}
