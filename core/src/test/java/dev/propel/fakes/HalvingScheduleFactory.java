package dev.propel.fakes;

import dev.propel.spi.AttributeSchema;
import dev.propel.spi.Attributes;
import dev.propel.spi.Schedule;
import dev.propel.spi.ScheduleFactory;

/** Test schedule {@code fake_halving}: {@code base / 2^t}, as a third party's schedule type would be. */
public final class HalvingScheduleFactory implements ScheduleFactory {
    public static final String TYPE = "fake_halving";

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String description() {
        return "halves the rate every step (test schedule)";
    }

    @Override
    public AttributeSchema schema() {
        return AttributeSchema.builder().nonNegativeFloat("floor", 0f, "lowest rate").build();
    }

    @Override
    public Schedule create(Attributes attributes, Schedule wrapped) {
        float floor = attributes.getFloat("floor");
        return new Schedule() {
            @Override
            public String typeId() {
                return TYPE;
            }

            @Override
            public Attributes attributes() {
                return attributes;
            }

            @Override
            public float rate(float baseRate, long step, long totalSteps) {
                return Math.max(floor, (float) (baseRate / Math.pow(2, step)));
            }
        };
    }
}
