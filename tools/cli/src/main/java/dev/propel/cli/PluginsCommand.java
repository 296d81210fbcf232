package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.PluginInfo;
import dev.propel.spi.ScheduleFactory;
import dev.propel.train.schedule.Schedules;
import dev.propel.Propel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code propel plugins}: the installed plugins, their versions, and the type ids each provides. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the installed plugins, their versions, and the layer, loss and optimizer types each provides.",
                "Plugins are found with ServiceLoader on the class path (tools/cli/target/lib for ./propel)",
                "and in the directories given with --plugins DIR."})
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Mixin
    private GlobalOptions global;

    @Option(names = "--describe", arity = "0..1", paramLabel = "TYPE", fallbackValue = "",
            description = {"Without TYPE: also show each type's one-line description and its attributes.",
                    "With TYPE (e.g. --describe dense): that type's description and each attribute's description, value type, "
                            + "range or allowed values, and default."})
    private String describe;

    @Option(names = "--json", description = "Print one JSON object to standard output instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        try (Propel propel = root.propel()) {
            if (describe != null && !describe.isEmpty()) {
                List<TypeDescription> types = TypeDescription.find(propel, describe);
                if (json) {
                    ArrayNode all = Json.object().arrayNode();
                    types.forEach(t -> all.add(t.toJson()));
                    root.out.println(Json.write(types.size() == 1 ? all.get(0) : all));
                } else {
                    types.forEach(t -> t.print(root.out));
                }
            } else if (json) {
                root.out.println(Json.write(toJson(propel)));
            } else {
                printText(propel, root.out);
            }
        }
        return 0;
    }

    private void printText(Propel propel, PrintStream out) {
        if (propel.plugins().isEmpty()) {
            out.println("no plugins installed; put a plugin jar (with META-INF/services/dev.propel.spi.PropelPlugin) on the class path"
                    + " or in a directory given with --plugins DIR");
            return;
        }
        out.println("kernels: " + propel.kernels().name());
        for (PluginInfo p : propel.plugins()) {
            out.println(p.name() + " " + p.version() + " (SPI " + p.spiVersion() + ")");
            Path location = propel.pluginLocation(p.name());
            if (location != null) out.println(String.format("  %-12s", "from:") + location);
            section(out, "layers", p.layers(), t -> propel.layerFactory(t).description(),
                    t -> SpecChecker.describe(propel.layerFactory(t).schema()));
            section(out, "losses", p.losses(), t -> propel.lossFactory(t).description(),
                    t -> SpecChecker.describe(propel.lossFactory(t).schema()));
            section(out, "optimizers", p.optimizers(), t -> propel.optimizerFactory(t).description(),
                    t -> SpecChecker.describe(propel.optimizerFactory(t).schema()));
            if (!p.schedules().isEmpty()) schedules(propel, out, p.schedules());
        }
        out.println("core (built in)");
        schedules(propel, out, coreSchedules());
    }

    private void schedules(Propel propel, PrintStream out, List<String> ids) {
        section(out, "schedules", ids, t -> propel.scheduleFactory(t).description(),
                t -> SpecChecker.describe(propel.scheduleFactory(t).schema()));
    }

    private static List<String> coreSchedules() {
        return Schedules.builtIn().stream().map(ScheduleFactory::typeId).toList();
    }

    private void section(PrintStream out, String kind, List<String> ids, Function<String, String> description,
                         Function<String, String> attributes) {
        String label = String.format("  %-12s", kind + ":");
        if (describe == null || ids.isEmpty()) {
            out.println(label + (ids.isEmpty() ? "none" : String.join(", ", ids)));
            return;
        }
        out.println("  " + kind + ":");
        for (String id : ids) {
            out.println("    " + id + " - " + description.apply(id));
            out.println("      attributes: " + attributes.apply(id));
        }
    }

    private static ObjectNode toJson(Propel propel) {
        ObjectNode root = Json.object();
        root.put("kernels", propel.kernels().name());
        ArrayNode plugins = root.putArray("plugins");
        for (PluginInfo p : propel.plugins()) {
            ObjectNode o = plugins.addObject();
            o.put("name", p.name());
            o.put("version", p.version());
            o.put("spi_version", p.spiVersion());
            Path location = propel.pluginLocation(p.name());
            if (location != null) o.put("location", location.toString());
            p.layers().forEach(o.putArray("layers")::add);
            p.losses().forEach(o.putArray("losses")::add);
            p.optimizers().forEach(o.putArray("optimizers")::add);
            if (!p.schedules().isEmpty()) p.schedules().forEach(o.putArray("schedules")::add);
        }
        coreSchedules().forEach(root.putObject("core").putArray("schedules")::add);
        return root;
    }
}
