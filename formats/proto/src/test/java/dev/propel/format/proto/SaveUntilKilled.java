package dev.propel.format.proto;

import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import dev.propel.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link AtomicSaveKillTest}: saves a large model over {@code args[0]} again and
 * again until killed. Prints "saving N" before each save.
 */
public final class SaveUntilKilled {
    private SaveUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        int floats = Integer.parseInt(args[1]);
        Tensor big = Tensor.zeros(floats);
        float[] d = big.data();
        for (int i = 0; i < d.length; i++) d[i] = i * 1e-3f;
        SavedModel model = ProtoRoundTripTest.handMade(Map.of("a.big", big));
        for (int n = 1; ; n++) {
            System.out.println("saving " + n);
            System.out.flush();
            ModelFiles.save(model, target);
        }
    }
}
