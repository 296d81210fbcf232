package dev.propel.cli;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.propel.data.IdxType;
import dev.propel.data.IdxWriter;
import dev.propel.format.onnx.ir.ModelProto;
import dev.propel.format.onnx.ir.StringStringEntryProto;
import dev.propel.format.onnx.ir.TensorProto;
import dev.propel.format.proto.schema.Layer;
import dev.propel.model.ModelFiles;
import dev.propel.format.proto.schema.ModelHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Generates the hostile corpus (nothing of it is checked in): from one good model, spec and examples
 * file, the malformed and malicious variants a careless or hostile user gives Propel. Each file's name
 * says what it is; the directory layout is
 * <pre>
 *   models/   model files (.pb, .json): truncated, bit-flipped, wrong format, lying sizes, NaN, huge headers
 *   specs/    model specs: empty, not JSON, huge values, wrong types
 *   data/     IDX directories: empty training set, a 16M label, lying dimensions
 *   csv/      examples for predict: NaN, BOM, bad UTF-8, wrong widths
 * </pre>
 * Run {@code main} to write it to a directory for manual fuzzing: {@code HostileCorpus <good.pb> <good.json> <dir>}
 * (the same trained model in both formats).
 */
final class HostileCorpus {
    /** Layers appended to the good model for the "huge legal header" files: about 10 MB of header. */
    static final int HUGE_HEADER_LAYERS = 400_000;

    private HostileCorpus() {
    }

    /** Writes the corpus under {@code dir} from the good model {@code goodPb} (a trained .pb with its .json twin). */
    static void write(Path goodPb, Path goodJson, Path dir) throws IOException {
        byte[] pb = Files.readAllBytes(goodPb);
        String json = Files.readString(goodJson);
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("empty.pb"), new byte[0]);
        Files.write(models.resolve("truncated-half.pb"), Arrays.copyOf(pb, pb.length / 2));
        Files.write(models.resolve("truncated-header.pb"), Arrays.copyOf(pb, 20));
        byte[] flipped = pb.clone();
        flipped[40] ^= 0x10;
        Files.write(models.resolve("bit-flip-header.pb"), flipped);
        byte[] tail = pb.clone();
        tail[tail.length - 10] ^= 0x01;
        Files.write(models.resolve("bit-flip-tensor.pb"), tail);
        Files.writeString(models.resolve("json-named-pb.pb"), json);
        Files.write(models.resolve("pb-named-json.json"), pb);
        Files.write(models.resolve("huge-header-length.pb"), withHeaderLength(pb, (1L << 35)));
        Files.writeString(models.resolve("truncated.json"), json.substring(0, json.length() / 2));
        Files.writeString(models.resolve("not-an-object.json"), "[1, 2, 3]");
        Files.writeString(models.resolve("lying-shape.json"), json.replaceFirst("\"shape\": \\[ 16, 784 \\]", "\"shape\": [ 1000000, 1000000 ]"));
        Files.writeString(models.resolve("unknown-layer-type.json"), json.replaceFirst("\"type\": \"relu\"",
                "\"type\": \"" + "evil".repeat(250_000) + "\""));
        Files.writeString(models.resolve("format-from-the-future.json"), json.replaceFirst("\"format_version\": \"\\d+\\.\\d+\"", "\"format_version\": \"99.0\""));
        Files.write(models.resolve("huge-legal-header.pb"), withManyLayers(pb, HUGE_HEADER_LAYERS));
        onnx(goodPb, models);

        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.writeString(specs.resolve("empty.json"), "");
        Files.writeString(specs.resolve("not-json.json"), "input: 784\nlayers: dense\n");
        Files.write(specs.resolve("latin1.json"), "{\"input\": [784], \"layers\": [{\"type\": \"d\u00e9nse\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(specs.resolve("huge-units.json"), TrainCommandTest.TINY_SPEC.replace("\"units\": 16", "\"units\": 2000000000"));
        Files.writeString(specs.resolve("negative-input.json"), TrainCommandTest.TINY_SPEC.replace("[784]", "[-784]"));
        Files.writeString(specs.resolve("deep-nesting.json"), "[".repeat(100_000));
        Files.writeString(specs.resolve("long-key.json"), TrainCommandTest.TINY_SPEC.replace("\"loss\"", "\"" + "k".repeat(1_000_000) + "\""));

        Path data = Files.createDirectories(dir.resolve("data"));
        idx(Files.createDirectories(data.resolve("empty-train")), 0, new int[0]);
        int[] huge = new int[50];
        huge[7] = 16_000_000;
        idx(Files.createDirectories(data.resolve("label-16M")), 50, huge);
        Path lying = Files.createDirectories(data.resolve("lying-count"));
        idx(lying, 20, new int[20]);
        byte[] images = Files.readAllBytes(lying.resolve("train-images-idx3-ubyte"));
        ByteBuffer.wrap(images).putInt(4, Integer.MAX_VALUE);
        Files.write(lying.resolve("train-images-idx3-ubyte"), images);

        Path csv = Files.createDirectories(dir.resolve("csv"));
        String row = "0,".repeat(783) + "0\n";
        Files.writeString(csv.resolve("nan.csv"), row + row.replaceFirst("0", "NaN"));
        Files.writeString(csv.resolve("infinity.csv"), row.replaceFirst("0", "-Infinity"));
        Files.writeString(csv.resolve("short-row.csv"), "1,2,3\n");
        Files.writeString(csv.resolve("words.csv"), row.replaceFirst("0", "zero"));
        byte[] bad = row.getBytes(StandardCharsets.UTF_8);
        bad[10] = (byte) 0xC3;
        Files.write(csv.resolve("bad-utf8.csv"), bad);
        Files.writeString(csv.resolve("empty.csv"), "# only a comment\n");
    }

    /**
     * Hostile .onnx files made from the good model's ONNX export: empty, truncated, a flipped length byte,
     * dimensions far larger than the data, external data outside the model's directory, an unsupported operator.
     */
    private static void onnx(Path goodPb, Path models) throws IOException {
        Path tmp = Files.createTempDirectory("hostile-onnx");
        Path export = tmp.resolve("good.onnx");
        ModelFiles.save(ModelFiles.read(goodPb), export);
        byte[] bytes = Files.readAllBytes(export);
        Files.delete(export);
        Files.delete(tmp);
        Files.write(models.resolve("empty.onnx"), new byte[0]);
        Files.write(models.resolve("truncated-half.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.write(models.resolve("truncated-header.onnx"), Arrays.copyOf(bytes, 20));
        ModelProto good = ModelProto.parseFrom(bytes);
        ModelProto.Builder lying = good.toBuilder();
        lying.getGraphBuilder().setInitializer(0, good.getGraph().getInitializer(0).toBuilder().clearDims().addDims(1L << 20).addDims(1L << 20));
        Files.write(models.resolve("lying-dims.onnx"), lying.build().toByteArray());
        ModelProto.Builder escape = good.toBuilder();
        escape.getGraphBuilder().setInitializer(0, good.getGraph().getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../../../etc/passwd")));
        Files.write(models.resolve("external-escape.onnx"), escape.build().toByteArray());
        ModelProto.Builder unsupported = good.toBuilder();
        unsupported.getGraphBuilder().setNode(0, good.getGraph().getNode(0).toBuilder().setOpType("LpPool"));
        Files.write(models.resolve("unsupported-op.onnx"), unsupported.build().toByteArray());
        ModelProto.Builder noGraph = good.toBuilder().clearGraph();
        Files.write(models.resolve("no-graph.onnx"), noGraph.build().toByteArray());
    }

    /** Train and test IDX files of {@code n} 28x28 training images with these labels, and one test image. */
    private static void idx(Path dir, int n, int[] labels) {
        IdxWriter.write(dir.resolve("train-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{n, 28, 28}, new int[n * 784]);
        IdxWriter.write(dir.resolve("train-labels-idx1-ubyte"), IdxType.INT, new int[]{n}, labels);
        IdxWriter.write(dir.resolve("t10k-images-idx3-ubyte"), IdxType.UNSIGNED_BYTE, new int[]{1, 28, 28}, new int[784]);
        IdxWriter.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxType.INT, new int[]{1}, new int[]{9});
    }

    /** The file with its header-length varint replaced by {@code length} (and nothing else changed). */
    private static byte[] withHeaderLength(byte[] pb, long length) throws IOException {
        Header h = Header.of(pb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pb, 0, 12);
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        c.writeUInt64NoTag(length);
        c.flush();
        out.write(pb, h.start, pb.length - h.start);
        return out.toByteArray();
    }

    /**
     * A legal file whose header is huge: the good model with {@code extra} relu layers appended (they
     * change no shape and have no tensors), header CRC recomputed, tensor chunks as they were.
     */
    private static byte[] withManyLayers(byte[] pb, int extra) throws IOException {
        Header h = Header.of(pb);
        ModelHeader header = ModelHeader.parseFrom(CodedInputStream.newInstance(pb, h.start, h.length));
        ModelHeader.Builder b = header.toBuilder();
        List<Layer> layers = header.getGraph().getLayersList();
        String previous = layers.getLast().getName();
        List<Integer> shape = layers.getLast().getOutputShapeList();
        for (int i = 0; i < extra; i++) {
            String name = "extra_relu_" + i;
            b.getGraphBuilder().addLayers(Layer.newBuilder().setType("relu").setName(name).addInputs(previous)
                    .addAllInputShape(shape).addAllOutputShape(shape));
            previous = name;
        }
        byte[] bytes = b.build().toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pb, 0, 12);
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        c.writeUInt64NoTag(bytes.length);
        c.flush();
        out.write(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array());
        out.write(pb, h.start + h.length + 4, pb.length - (h.start + h.length + 4));
        return out.toByteArray();
    }

    /** Where the header of a .pb file starts (after the preamble and its length varint) and how long it is. */
    private record Header(int start, int length) {
        static Header of(byte[] pb) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(pb, 12, pb.length - 12);
            int length = (int) in.readUInt64();
            return new Header(12 + in.getTotalBytesRead(), length);
        }
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    }
}
