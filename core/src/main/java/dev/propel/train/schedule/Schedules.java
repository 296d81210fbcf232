package dev.propel.train.schedule;

import dev.propel.model.ComponentSpec;
import dev.propel.spi.AttributeException;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;
import dev.propel.spi.UnknownTypeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The schedule types the core provides (every {@link dev.propel.Propel} registers them, so they need no
 * plugin), and the conversion between a live {@link Schedule} and its data form: a chain of components,
 * outermost first, where each but the last wraps the next (e.g. {@code [warmup, cosine]}).
 */
public final class Schedules {
    private static final List<ScheduleFactory> BUILT_IN = List.of(new ConstantSchedule(), new StepSchedule(),
            new CosineSchedule(), new LinearSchedule(), new LinearHalfSchedule(), new WarmupSchedule());

    private Schedules() {
    }

    /** The core's schedule factories: constant, step, cosine, linear, linear_half, warmup. */
    public static List<ScheduleFactory> builtIn() {
        return BUILT_IN;
    }

    /** Looks a type up among the core's schedules only (for code that has no registry). */
    public static ScheduleFactory builtIn(String typeId) {
        for (ScheduleFactory f : BUILT_IN) {
            if (f.typeId().equals(typeId)) return f;
        }
        List<String> known = BUILT_IN.stream().map(ScheduleFactory::typeId).toList();
        throw new UnknownTypeException(typeId, "unknown learning-rate schedule type '" + typeId + "'; known schedule types: "
                + String.join(", ", known) + ". A plugin's schedule type needs the registry (dev.propel.Propel#schedule)");
    }

    /** A core schedule of {@code typeId} with {@code attributes} (validated), wrapping nothing. */
    public static Schedule builtIn(String typeId, Map<String, ?> attributes) {
        return build(List.of(ComponentSpec.of(typeId, attributes)), Schedules::builtIn);
    }

    /**
     * Builds the schedule {@code chain} describes (outermost first), validating each component's
     * attributes against its type's schema; {@code factories} finds a type (and throws for an unknown one).
     */
    public static Schedule build(List<ComponentSpec> chain, Function<String, ScheduleFactory> factories) {
        if (chain.isEmpty()) throw new IllegalArgumentException("a learning-rate schedule needs at least one component");
        Schedule inner = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            ComponentSpec c = chain.get(i);
            ScheduleFactory f = factories.apply(c.type());
            if (inner != null && !f.wrapsAnother()) {
                throw new AttributeException("schedule '" + c.type() + "' does not wrap another schedule, but '"
                        + chain.get(i + 1).type() + "' was given after it; only wrapping types (e.g. warmup) take one");
            }
            Attributes a = f.schema().resolve("schedule '" + c.type() + "'", c.attributes());
            inner = f.create(a, inner);
        }
        return inner;
    }

    /** The data form of {@code schedule}: its components, outermost first, with resolved attributes. */
    public static List<ComponentSpec> chainOf(Schedule schedule) {
        List<ComponentSpec> chain = new ArrayList<>();
        for (Schedule s = schedule; s != null; s = s.wrapped()) {
            chain.add(ComponentSpec.of(s.typeId(), s.attributes().asMap()));
        }
        return List.copyOf(chain);
    }
}
