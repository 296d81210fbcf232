package dev.propel;

import java.util.List;

/** What one loaded plugin is and provides, for {@code propel plugins} and error messages. */
public record PluginInfo(String name, String version, String spiVersion,
                         List<String> layers, List<String> losses, List<String> optimizers, List<String> schedules) {

    /** A plugin that provides no learning-rate schedules. */
    public PluginInfo(String name, String version, String spiVersion, List<String> layers, List<String> losses,
                      List<String> optimizers) {
        this(name, version, spiVersion, layers, losses, optimizers, List.of());
    }

    /** "standard 0.1.0 (layers: dense, relu; losses: mse; optimizers: sgd)", then "; schedules: ..." if it adds any. */
    public String summary() {
        return name + " " + version + " (layers: " + join(layers) + "; losses: " + join(losses)
                + "; optimizers: " + join(optimizers) + (schedules.isEmpty() ? "" : "; schedules: " + join(schedules)) + ")";
    }

    private static String join(List<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }
}
