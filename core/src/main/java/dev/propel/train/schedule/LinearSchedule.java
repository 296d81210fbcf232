package dev.propel.train.schedule;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/**
 * {@code linear}: the factor of the base rate moves linearly from {@code start_factor} to
 * {@code end_factor} over {@code total_iters} steps and stays there, PyTorch's {@code LinearLR}
 * ({@code total_iters} 0 = the whole run).
 */
public final class LinearSchedule implements ScheduleFactory {
    /** The type id: linear change from the base rate to a final factor of it. */
    public static final String TYPE = "linear";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "scales the rate linearly from start_factor to end_factor over total_iters steps (PyTorch LinearLR)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder()
                .floatAttr("start_factor", 1f / 3, 0.0, false, 1.0, true, "factor of the base rate at step 0")
                .floatAttr("end_factor", 1f, 0.0, true, 1.0, true, "factor from step total_iters on")
                .intAttr("total_iters", 5, 0, "steps to go from start_factor to end_factor; 0 = the whole run")
                .build();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        return new Linear(attributes, attributes.getFloat("start_factor"), attributes.getFloat("end_factor"),
                attributes.getInt("total_iters"));
    }

    private record Linear(Attributes attributes, float start, float end, int totalIters) implements Schedule {
        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public float rate(float baseRate, long step, long totalSteps) {
            long n = totalIters > 0 ? totalIters : Math.max(1, totalSteps);
            return (float) (baseRate * (start + ((double) end - start) * Math.min(step, n) / n));
        }
    }
}
