package dev.propel.standard;

import dev.propel.PluginInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardPluginTest {

    @Test
    void isDiscoveredWithEveryTypeItProvides() {
        PluginInfo info = Standard.PROPEL.plugins().stream().filter(p -> p.name().equals("standard")).findFirst()
                .orElseThrow(() -> new AssertionError("plugin 'standard' not discovered; installed: "
                        + Standard.PROPEL.installedSummary()));
        assertEquals(List.of("add", "avg_pool2d", "batch_norm", "concat", "conv2d", "dense", "dropout", "embedding", "flatten",
                "gelu", "global_avg_pool", "gru", "layer_norm", "layer_scale", "leaky_relu", "lstm", "max_pool2d", "relu", "reshape",
                "rnn", "sequence_lengths", "sigmoid", "softmax", "tanh"), info.layers());
        assertEquals(List.of("binary_cross_entropy", "cross_entropy", "mse", "sequence_cross_entropy"), info.losses());
        assertEquals(List.of("adagrad", "adam", "adamw", "momentum", "rmsprop", "sgd"), info.optimizers());
        assertEquals("standard", Standard.PROPEL.providerOf("adamw"));
    }

    @Test
    void reportsTheProjectVersion() {
        String v = new StandardPlugin().version();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+.*"), v);
        assertFalse(v.contains("${"), v);
    }

    @Test
    void everyTypeHasADescription() {
        PluginInfo info = Standard.PROPEL.plugins().getFirst();
        info.layers().forEach(id -> assertFalse(Standard.PROPEL.layerFactory(id).description().isBlank(), id));
        info.losses().forEach(id -> assertFalse(Standard.PROPEL.lossFactory(id).description().isBlank(), id));
        info.optimizers().forEach(id -> assertFalse(Standard.PROPEL.optimizerFactory(id).description().isBlank(), id));
    }
}
