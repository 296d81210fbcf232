package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/** {@code step}: {@code base · gamma^⌊t / step_size⌋}, PyTorch's {@code StepLR}. */
public final class StepSchedule implements ScheduleFactory {
    /** The type id: the rate multiplied by a factor every few steps. */
    public static final String TYPE = "step";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "multiplies the rate by gamma every step_size steps (PyTorch StepLR)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder()
                .intAttr("step_size", null, 1, "steps between two decays")
                .positiveFloat("gamma", 0.1f, "factor applied at each decay")
                .build();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new Step(attributes, attributes.getInt("step_size"), attributes.getFloat("gamma"));
    }

    private record Step(Attributes attributes, int stepSize, float gamma) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            return (float) (baseRate * Math.pow(gamma, step / stepSize));
        }
    }
}
