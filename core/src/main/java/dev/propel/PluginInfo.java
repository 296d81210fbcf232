package dev.propel;

import java.util.List;

/** What one loaded plugin is and provides, for {@code propel plugins} and error messages. */
public record PluginInfo(String name, String version, String spiVersion,
                         List<String> layers, List<String> losses, List<String> optimizers) {

    /** "standard 0.1.0 (layers: dense, relu; losses: mse; optimizers: sgd)". */
    public String summary() {
        return name + " " + version + " (layers: " + join(layers) + "; losses: " + join(losses)
                + "; optimizers: " + join(optimizers) + ")";
    }

    private static String join(List<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }
}
