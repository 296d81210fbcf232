package dev.propel.standard.realdata;

import dev.propel.Propel;
import dev.propel.data.FashionMnist;
import dev.propel.data.TrainTest;
import dev.propel.model.Model;
import dev.propel.model.ModelSpec;
import dev.propel.spi.Optimizer;
import dev.propel.train.EpochMetrics;
import dev.propel.train.Trainer;
import dev.propel.train.TrainingConfig;
import dev.propel.train.TrainingHistory;
import dev.propel.train.TrainingListener;
import dev.propel.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The foundation's accuracy target on the real data (Debian package dataset-fashion-mnist, which
 * .ci/run installs): the 784-512-512-10 ReLU MLP with Adam (lr 1e-3, batch 128) reaches >= 0.88 test
 * accuracy within 10 epochs. PyTorch with the same network and settings reached 0.886 at epoch 7.
 * Training stops as soon as the target is met, to keep the suite short.
 */
class FashionMnistMlpTest {
    static final float TARGET = 0.88f;

    @Test
    void mlpReachesTheTargetAccuracyWithinTenEpochs() {
        assumeTrue(Files.isDirectory(FashionMnist.INSTALLED_DIRECTORY),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        try (Propel propel = Propel.create()) {
            TrainTest data = FashionMnist.load();
            ModelSpec spec = ModelSpec.builder().input(784)
                    .layer("dense", Map.of("units", 512)).layer("relu")
                    .layer("dense", Map.of("units", 512)).layer("relu")
                    .layer("dense", Map.of("units", 10))
                    .loss("cross_entropy").build();
            Model model = propel.build(spec, 1);
            Optimizer adam = propel.optimizer("adam", Map.of("learning_rate", 0.001));
            TrainingListener stopAtTarget = new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingRun run, EpochMetrics m) {
                    System.out.printf("fashion-mnist mlp: epoch %d loss %.4f test accuracy %.4f (%.1f s)%n",
                            m.epoch(), m.trainLoss(), m.validationAccuracy(), m.seconds());
                    if (m.validationAccuracy() >= TARGET) run.requestStop("target reached");
                }
            };
            TrainingHistory h = new Trainer(TrainingConfig.builder().epochs(10).batchSize(128).seed(1)
                    .listener(stopAtTarget).build()).fit(model, adam, data.train(), data.test());
            EpochMetrics best = h.best();
            assertTrue(best.validationAccuracy() >= TARGET, "best test accuracy " + best.validationAccuracy()
                    + " at epoch " + best.epoch() + " is below " + TARGET);
        }
    }
}
