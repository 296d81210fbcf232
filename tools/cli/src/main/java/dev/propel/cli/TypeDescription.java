package dev.propel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.propel.PluginInfo;
import dev.propel.Propel;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.PropelException;
import dev.propel.spi.ScheduleFactory;
import dev.propel.train.schedule.Schedules;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One installed type as {@code propel plugins --describe TYPE} shows it: its kind (layer, loss,
 * optimizer, learning-rate schedule), the plugin that provides it, its description, and every attribute
 * with its description, value type, range or allowed values, and default.
 */
record TypeDescription(String kind, String typeId, String provider, String description, AttributeSchema schema) {

    /** The types named {@code typeId} (one per kind that has it), or an error that suggests a close name. */
    static List<TypeDescription> find(Propel propel, String typeId) {
        Map<String, List<String>> byKind = typesByKind(propel);
        List<TypeDescription> found = new ArrayList<>();
        if (byKind.get("layer").contains(typeId)) {
            var f = propel.layerFactory(typeId);
            found.add(new TypeDescription("layer", typeId, provider(propel, typeId), f.description(), f.schema()));
        }
        if (byKind.get("loss").contains(typeId)) {
            var f = propel.lossFactory(typeId);
            found.add(new TypeDescription("loss", typeId, provider(propel, typeId), f.description(), f.schema()));
        }
        if (byKind.get("optimizer").contains(typeId)) {
            var f = propel.optimizerFactory(typeId);
            found.add(new TypeDescription("optimizer", typeId, provider(propel, typeId), f.description(), f.schema()));
        }
        if (byKind.get("learning-rate schedule").contains(typeId)) {
            var f = propel.scheduleFactory(typeId);
            found.add(new TypeDescription("learning-rate schedule", typeId, provider(propel, typeId), f.description(), f.schema()));
        }
        if (found.isEmpty()) throw unknown(typeId, byKind);
        return found;
    }

    /** "unknown layer type 'relo'; did you mean relu?" (the kind of the closest name), or the kinds to look in. */
    private static PropelException unknown(String typeId, Map<String, List<String>> byKind) {
        List<String> all = byKind.values().stream().flatMap(List::stream).toList();
        List<String> close = Suggestions.closest(typeId, all);
        if (close.isEmpty()) {
            return new PropelException("unknown type '" + typeId + "': no installed plugin provides a layer, loss, optimizer or"
                    + " learning-rate schedule of that name; 'propel plugins' lists the installed types");
        }
        String kind = byKind.entrySet().stream().filter(e -> e.getValue().contains(close.getFirst()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        return new PropelException("unknown " + kind + " type '" + typeId + "'; " + Suggestions.didYouMean(typeId, all));
    }

    /** Every installed type id by kind, in the order {@code propel plugins} lists them. */
    static Map<String, List<String>> typesByKind(Propel propel) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (String kind : List.of("layer", "loss", "optimizer", "learning-rate schedule")) byKind.put(kind, new ArrayList<>());
        for (PluginInfo p : propel.plugins()) {
            byKind.get("layer").addAll(p.layers());
            byKind.get("loss").addAll(p.losses());
            byKind.get("optimizer").addAll(p.optimizers());
            byKind.get("learning-rate schedule").addAll(p.schedules());
        }
        Schedules.builtIn().stream().map(ScheduleFactory::typeId).forEach(byKind.get("learning-rate schedule")::add);
        return byKind;
    }

    private static String provider(Propel propel, String typeId) {
        String name = propel.providerOf(typeId);
        if (name == null || name.equals(Propel.CORE)) return "core (built in)";
        return propel.plugins().stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> "plugin " + p.name() + " " + p.version()).orElse("plugin " + name);
    }

    /**
     * <pre>
     * dense: layer type, from plugin standard 0.1.0
     *   Fully connected layer ...
     *   attributes:
     *     units: number of outputs; an integer, >= 1, required
     * </pre>
     */
    void print(PrintStream out) {
        out.println(typeId + ": " + kind + " type, from " + provider);
        out.println("  " + description);
        if (schema.specs().isEmpty()) {
            out.println("  attributes: none (this type takes no attributes)");
            return;
        }
        out.println("  attributes:");
        for (AttributeSpec s : schema.specs()) {
            String constraint = s.constraint();
            out.println("    " + s.name() + ": " + s.description() + "; " + s.type().description()
                    + (constraint.isEmpty() ? "" : ", " + constraint)
                    + (s.required() ? ", required" : ", default " + value(s.defaultValue())));
        }
    }

    /** A default as a spec file writes it: 0.0003, "none", true, [3, 3]. */
    private static String value(Object v) {
        if (v instanceof String s) return "\"" + s + "\"";
        if (v instanceof List<?> l) return l.stream().map(TypeDescription::value).toList().toString();
        return PlainNumbers.plain(v);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", typeId);
        o.put("kind", kind);
        o.put("provider", provider);
        o.put("description", description);
        ArrayNode attributes = o.putArray("attributes");
        for (AttributeSpec s : schema.specs()) {
            ObjectNode a = attributes.addObject();
            a.put("name", s.name());
            a.put("description", s.description());
            a.put("value_type", s.type().name().toLowerCase(Locale.ROOT));
            a.put("required", s.required());
            if (!s.required()) a.set("default", Json.value(s.defaultValue()));
            if (s.min() != null) a.put("min", s.min()).put("min_inclusive", s.minInclusive());
            if (s.max() != null) a.put("max", s.max()).put("max_inclusive", s.maxInclusive());
            if (!s.allowed().isEmpty()) s.allowed().forEach(a.putArray("allowed")::add);
            if (!s.constraint().isEmpty()) a.put("constraint", s.constraint());
        }
        return o;
    }
}
