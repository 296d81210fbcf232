package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/**
 * {@code linear_half} (the CLI also accepts {@code linear-half}): Hinton's Forward-Forward schedule
 * ({@code ffnew.m}), the base rate for the first half of the run, then a linear decay towards 0 —
 * {@code base · (1 + 2(T − s))/T} for the 1-based step {@code s > T/2} of a run of {@code T} steps
 * (the last step runs at {@code base/T}).
 */
public final class LinearHalfSchedule implements ScheduleFactory {
    /** The type id: constant for the first half, then linear decay to zero (Hinton's Forward-Forward schedule). */
    public static final String TYPE = "linear_half";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "the base rate for the first half of the run, then linear decay towards 0 (Hinton's Forward-Forward schedule)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.empty();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new LinearHalf(attributes);
    }

    private record LinearHalf(Attributes attributes) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            long s = step + 1;
            return s <= totalSteps / 2.0 ? baseRate : baseRate * (1 + 2f * (totalSteps - s)) / totalSteps;
        }
    }
}
