package dev.propel;

import dev.propel.fakes.HalvingScheduleFactory;
import dev.propel.model.ComponentSpec;
import dev.propel.spi.AbstractPropelPlugin;
import dev.propel.spi.SpiVersion;
import dev.propel.spi.PluginException;
import dev.propel.spi.Schedule;
import dev.propel.spi.UnknownTypeException;
import dev.propel.train.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedule types are registry components: the core's built in, a plugin's added like an optimizer. */
class ScheduleRegistryTest {

    /** A plugin adding one schedule type. */
    public static final class SchedulePlugin extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "fake-schedules";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            schedule(HalvingScheduleFactory.class);
        }
    }

    /** A plugin that tries to replace a core schedule type. */
    public static final class ClashingPlugin extends AbstractPropelPlugin {
        @Override
        public String name() {
            return "clash";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public String spiVersion() {
            return SpiVersion.CURRENT;
        }

        @Override
        protected void configurePlugin() {
            schedule(CosineSchedule.class);
        }
    }

    private static Propel propel(AbstractPropelPlugin... plugins) {
        Propel.Builder b = Propel.builder().discoverPlugins(false).threads(1);
        for (AbstractPropelPlugin p : plugins) b.plugin(p);
        return b.build();
    }

    @Test
    void coreSchedulesNeedNoPluginAndAPluginAddsItsOwn() {
        try (Propel propel = propel(new SchedulePlugin())) {
            assertEquals(Propel.CORE, propel.providerOf("cosine"));
            assertEquals("fake-schedules", propel.providerOf(HalvingScheduleFactory.TYPE));
            assertEquals(List.of(HalvingScheduleFactory.TYPE), propel.plugins().getFirst().schedules());
            assertTrue(propel.plugins().getFirst().summary().endsWith("; schedules: fake_halving)"), propel.plugins().getFirst().summary());
            // A core warmup hands over to the plugin's schedule.
            Schedule s = propel.schedule(List.of(ComponentSpec.of("warmup", Map.of("warmup_steps", 1, "start_factor", 0.5)),
                    ComponentSpec.of(HalvingScheduleFactory.TYPE, Map.of("floor", 0.1))));
            assertEquals(0.5f, s.rate(1f, 0, 10));
            assertEquals(1f, s.rate(1f, 1, 10));
            assertEquals(0.5f, s.rate(1f, 2, 10));
            assertEquals(0.1f, s.rate(1f, 9, 10));
        }
    }

    @Test
    void anUnknownTypeListsTheKnownOnes() {
        try (Propel propel = propel()) {
            var e = assertThrows(UnknownTypeException.class, () -> propel.schedule(List.of(ComponentSpec.of(HalvingScheduleFactory.TYPE))));
            assertTrue(e.getMessage().startsWith("unknown learning-rate schedule type 'fake_halving'; known learning-rate schedule types: "
                    + "constant, cosine, linear, linear_half, step, warmup."), e.getMessage());
        }
    }

    @Test
    void aPluginCannotReplaceACoreSchedule() {
        var e = assertThrows(PluginException.class, () -> propel(new ClashingPlugin()).close());
        assertTrue(e.getMessage().contains("schedule type 'cosine' of plugin 'clash' is one the core provides itself"), e.getMessage());
    }
}
