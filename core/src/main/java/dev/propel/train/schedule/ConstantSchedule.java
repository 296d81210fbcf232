package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/** {@code constant}: the base rate at every step. */
public final class ConstantSchedule implements ScheduleFactory {
    /** The type id: the same rate throughout. */
    public static final String TYPE = "constant";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the optimizer's learning rate throughout";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.empty();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new Constant(attributes);
    }

    private record Constant(Attributes attributes) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            return baseRate;
        }
    }
}
