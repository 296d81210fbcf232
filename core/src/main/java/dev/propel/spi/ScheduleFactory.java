package dev.propel.spi;

/**
 * Makes learning-rate schedules of one type, keyed by a stable type id such as {@code "cosine"}. The
 * core provides {@code constant}, {@code step}, {@code cosine}, {@code linear}, {@code linear_half} and
 * {@code warmup}; a plugin adds more with {@link AbstractPropelPlugin#schedule}.
 */
public interface ScheduleFactory {

    /** The type id a schedule spec names, e.g. {@code warmup}: unique among installed plugins and the core's own. */
    String typeId();

    /** One line for {@code propel plugins}: the shape of the schedule. */
    String description();

    /** The attributes the schedule accepts, with types, defaults and ranges. */
    AttributeSchema schema();

    /** Whether schedules of this type hand over to another one (as {@code warmup} does); default no. */
    default boolean wrapsAnother() {
        return false;
    }

    /**
     * A schedule with these attributes. {@code wrapped} is the schedule to hand over to, or {@code null}
     * (always {@code null} unless {@link #wrapsAnother()}).
     */
    Schedule create(Attributes attributes, Schedule wrapped);
}
