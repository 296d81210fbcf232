package dev.propel.spi;

/**
 * Makes learning-rate schedules of one type, keyed by a stable type id such as {@code "cosine"}. The
 * core provides {@code constant}, {@code step}, {@code cosine}, {@code linear}, {@code linear_half} and
 * {@code warmup}; a plugin adds more with {@link AbstractPropelPlugin#schedule}.
 */
public interface ScheduleFactory {

    String typeId();

    String description();

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
