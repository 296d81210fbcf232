package dev.propel.format.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.propel.tensor.Tensor;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** Runs an .onnx file in ONNX Runtime (Java): the independent runtime the exported models are checked against. */
final class OrtRunner {
    private OrtRunner() {
    }

    /** The first output of the model at {@code file} for {@code input} (batch first), flat. */
    static float[] run(Path file, Tensor input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(file.toString(), options)) {
                int[] dims = input.shape().dims();
                long[] shape = new long[dims.length];
                for (int i = 0; i < dims.length; i++) shape[i] = dims[i];
                String name = session.getInputNames().iterator().next();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.toArray()), shape);
                     OrtSession.Result result = session.run(Map.of(name, t))) {
                    FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    float[] values = new float[out.remaining()];
                    out.get(values);
                    return values;
                }
            }
        }
    }
}
