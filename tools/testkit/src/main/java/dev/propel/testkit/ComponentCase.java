package dev.propel.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every case of a contract has: the type id, its attributes (in the order given), the attributes
 * the type must refuse, and the seed. {@link LayerCase}, {@link LossCase} and {@link OptimizerCase} add
 * what their contract needs.
 *
 * @param <C> the concrete case, so that the setters chain
 */
public abstract class ComponentCase<C extends ComponentCase<C>> {
    private final String typeId;
    private final Map<String, Object> attributes;
    private final List<InvalidAttributes> invalid = new ArrayList<>();
    private long seed = 7;

    ComponentCase(String typeId, Map<String, ?> attributes) {
        this.typeId = typeId;
        this.attributes = new LinkedHashMap<>(attributes);
    }

    /** This case, typed as its class. */
    abstract C self();

    /** The seed the case's parameters and inputs are drawn from (default 7). */
    public C seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Attributes the type must refuse, with fragments of the expected message. */
    public C rejects(InvalidAttributes invalidAttributes) {
        invalid.add(invalidAttributes);
        return self();
    }

    /** The type id of the component under test, e.g. {@code "dense"}. */
    public String typeId() {
        return typeId;
    }

    /** The attributes given to the case (defaults are filled in by the type's schema). */
    public Map<String, Object> attributes() {
        return Map.copyOf(attributes);
    }

    /** The attributes in the order given, for messages and for creating the component. */
    Map<String, Object> orderedAttributes() {
        return attributes;
    }

    List<InvalidAttributes> invalid() {
        return invalid;
    }

    long seed() {
        return seed;
    }

    /** "huber {delta=0.5}", then ", {@code label} [3, 17], [1, 1]" when there are shapes. */
    String describe(String label, List<int[]> shapes) {
        StringBuilder sb = new StringBuilder(typeId).append(' ').append(attributes);
        if (!shapes.isEmpty()) {
            sb.append(", ").append(label).append(' ');
            for (int i = 0; i < shapes.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(Arrays.toString(shapes.get(i)));
            }
        }
        return sb.toString();
    }
}
