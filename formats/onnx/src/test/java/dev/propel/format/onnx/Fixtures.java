package dev.propel.format.onnx;

import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the tensors of the ONNX test-data layout (test_data_set_N/input_K.pb, output_K.pb). */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures");

    private Fixtures() {
    }

    static Tensor tensor(Path pb) throws IOException {
        TensorProto t = TensorProto.parseFrom(Files.readAllBytes(pb));
        return OnnxTensors.readFloat(t, pb.toString(), pb.getParent());
    }

    static TensorProto proto(Path pb) throws IOException {
        return TensorProto.parseFrom(Files.readAllBytes(pb));
    }
}
