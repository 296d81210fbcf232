package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelSpec;
import dev.propel.spi.AttributeException;
import dev.propel.spi.AttributeSchema;
import dev.propel.spi.AttributeSpec;
import dev.propel.spi.UnknownTypeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks a {@link ModelSpec} read from a file against the installed plugins before anything is built:
 * every type id must be known and every attribute valid for its type. Errors carry the file and the
 * JSON path, e.g. {@code model.json: layers[2].units: attribute 'units' must be >= 1 but got 0}.
 * (Shape errors are found when the model is built.)
 */
public final class SpecChecker {
    private final Propel propel;
    private final String source;

    public SpecChecker(Propel propel, String source) {
        this.propel = propel;
        this.source = source;
    }

    public void check(ModelSpec spec) {
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            String path = "layers[" + i + "]";
            AttributeSchema schema = schema(path, layer.type(), "layer", t -> propel.layerFactory(t).schema());
            checkAttributes(path, layer.type(), schema, layer.attributes());
        }
        checkComponent("loss", spec.loss(), "loss", t -> propel.lossFactory(t).schema());
        if (spec.optimizer() != null) {
            checkComponent("optimizer", spec.optimizer(), "optimizer", t -> propel.optimizerFactory(t).schema());
        }
    }

    private void checkComponent(String path, ComponentSpec c, String kind, Function<String, AttributeSchema> lookup) {
        checkAttributes(path, c.type(), schema(path, c.type(), kind, lookup), c.attributes());
    }

    /** The type's schema, or an error that adds "did you mean relu?" when a known type of this kind is close. */
    private AttributeSchema schema(String path, String type, String kind, Function<String, AttributeSchema> lookup) {
        try {
            return lookup.apply(type);
        } catch (UnknownTypeException e) {
            String hint = Suggestions.didYouMean(type, TypeDescription.typesByKind(propel).get(kind));
            String message = hint.isEmpty() ? e.getMessage() : e.getMessage().replaceFirst(
                    java.util.regex.Pattern.quote("'" + type + "'; "), java.util.regex.Matcher.quoteReplacement("'" + type + "'; " + hint + " "));
            throw new SpecException(source, path + ".type", message);
        }
    }

    private void checkAttributes(String path, String type, AttributeSchema schema, Map<String, Object> given) {
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String key = e.getKey();
            AttributeSpec spec = schema.specs().stream().filter(s -> s.name().equals(key)).findFirst().orElse(null);
            String at = path + "." + key;
            if (spec == null) {
                throw new SpecException(source, at, "unknown attribute '" + key + "' for type '" + type + "'; valid attributes are "
                        + describe(schema));
            }
            try {
                AttributeSchema.builder().add(spec).build().resolve(source + ": " + at, Map.of(key, e.getValue()));
            } catch (AttributeException ex) {
                throw new SpecException(ex.getMessage(), ex);
            }
        }
        try {
            schema.resolve(source + ": " + path + " (" + type + ")", given);
        } catch (AttributeException ex) {
            throw new SpecException(ex.getMessage(), ex);
        }
    }

    static String describe(AttributeSchema schema) {
        if (schema.specs().isEmpty()) return "none (this type takes no attributes)";
        List<String> parts = new ArrayList<>();
        for (AttributeSpec s : schema.specs()) {
            parts.add(s.name() + " (" + s.type().description() + (s.required() ? ", required" : ", default " + s.defaultValue()) + ")");
        }
        return String.join(", ", parts);
    }
}
