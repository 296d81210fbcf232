package dev.propel.train.ff;

import dev.propel.Propel;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FfStackTest {

    @Test
    void denseLayersStartBlocksAndActivationsJoinThem() {
        try (Propel propel = FfFixtures.propel()) {
            Model m = propel.build(ModelSpec.builder().input(12).loss("mse")
                    .layer("dense", Map.of("units", 8)).layer("relu")
                    .layer("dense", Map.of("units", 6))
                    .layer("dense", Map.of("units", 5)).layer("relu").build(), 1);
            FfStack s = FfStack.of(m);
            assertEquals(3, s.size());
            assertEquals("dense_0 → relu_1", s.block(0).describe());
            assertEquals("dense_2", s.block(1).describe());
            assertEquals(3, s.block(2).firstLayer());
            assertEquals(12, s.inputSize());
            assertEquals(8, s.maxWidth());
            assertEquals(11, s.widthFrom(1));
        }
    }

    @Test
    void softmaxOutputLayerIsRefusedWithAWayOut() {
        try (Propel propel = FfFixtures.propel()) {
            Model m = propel.build(ModelSpec.builder().input(12).loss("mse")
                    .layer("dense", Map.of("units", 8)).layer("relu")
                    .layer("dense", Map.of("units", 3)).layer("softmax").build(), 1);
            UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> FfStack.of(m));
            assertEquals(3, e.layerIndex());
            assertEquals("softmax", e.layerType());
            assertTrue(e.getMessage().contains("layer 3 'softmax_3' (softmax) cannot be trained with Forward-Forward"), e.getMessage());
            assertTrue(e.getMessage().contains("label is embedded in the input"), e.getMessage());
            assertTrue(e.getMessage().contains("backprop"), e.getMessage());
        }
    }

    @Test
    void otherLayerTypesAreRefused() {
        try (Propel propel = FfFixtures.propel()) {
            Model m = propel.build(ModelSpec.builder().input(12).loss("mse")
                    .layer("dense", Map.of("units", 8)).layer("scale").build(), 1);
            UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> FfStack.of(m));
            assertTrue(e.getMessage().contains("layer 1 'scale_1' (scale) cannot be trained with Forward-Forward"), e.getMessage());
            assertTrue(e.getMessage().contains("dense-like layer (capability AFFINE, e.g. dense) followed by activation-like layers"
                    + " (capability ELEMENTWISE"), e.getMessage());
            assertTrue(e.getMessage().contains("'scale' declares neither"), e.getMessage());
        }
    }

    @Test
    void activationBeforeAnyDenseIsRefused() {
        try (Propel propel = FfFixtures.propel()) {
            Model m = propel.build(ModelSpec.builder().input(12).loss("mse")
                    .layer("relu").layer("dense", Map.of("units", 8)).build(), 1);
            UnsupportedLayerException e = assertThrows(UnsupportedLayerException.class, () -> FfStack.of(m));
            assertTrue(e.getMessage().contains("layer 0 'relu_0' (relu) comes before any dense layer"), e.getMessage());
        }
    }
}
