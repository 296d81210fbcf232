package dev.propel.bench;

import dev.propel.Propel;
import dev.propel.format.json.JsonModelFormat;
import dev.propel.format.proto.ProtoModelFormat;
import dev.propel.model.ComponentSpec;
import dev.propel.model.LayerSpec;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelSpec;
import dev.propel.model.PredictionRule;
import dev.propel.model.Producer;
import dev.propel.model.SavedModel;
import dev.propel.model.TensorReceiver;
import dev.propel.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed of the model files against plain sequential file I/O of the same number of bytes, and their
 * size against the raw tensor bytes. Not a JMH benchmark: each step is seconds of I/O, timed as the
 * median of several runs, the file in the page cache for reads (as for the plain-I/O baseline).
 *
 * <pre>
 * mvn -q -pl tools/bench -am package -DskipTests
 * java -Xmx6g --add-modules jdk.incubator.vector -cp tools/bench/target/benchmarks.jar \
 *     dev.propel.bench.ModelFileBenchmark [directory] [megabytes...]
 * </pre>
 * Baselines: "plain write" is one FileChannel writing the bytes from a 1 MiB direct buffer then
 * fsync (a save is durable, so it fsyncs too); "plain read into memory" reads the bytes into one
 * buffer of the file's size, as a model's values must land in memory ("plain read, 1 MiB buffer",
 * which reuses one small buffer, only shows the page cache's speed). ".pb read into model" is what
 * {@code ModelFiles.load} does: values go straight into the live tensors of the rebuilt model.
 */
public final class ModelFileBenchmark {
    private static final int RUNS = 5;

    private ModelFileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) sizes.add(Integer.parseInt(args[i]));
        if (sizes.isEmpty()) sizes = List.of(4, 100, 400);
        System.out.printf(Locale.ROOT, "%-8s %-26s %10s %10s %9s%n", "MB", "operation", "seconds", "MB/s", "vs plain");
        for (int mb : sizes) run(dir, mb);
        jsonAndLoad(dir);
    }

    /** A model of about {@code mb} megabytes of float32 tensors: a few dense-like weight matrices. */
    public static SavedModel model(int mb) {
        long floats = (long) mb * 1_000_000 / 4;
        int perTensor = (int) Math.min(floats, 64_000_000);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; floats > 0; i++) {
            int n = (int) Math.min(perTensor, floats);
            float[] d = new float[n];
            for (int j = 0; j < n; j++) d[j] = (float) r.nextGaussian();
            tensors.put("dense_" + i + ".weight", Tensor.of(d, n));
            floats -= n;
        }
        ModelSpec spec = new ModelSpec(List.of(784), List.of(new LayerSpec("dense", "dense_0", Map.of("units", 10))),
                ComponentSpec.of("cross_entropy"), null);
        return new SavedModel(new Producer("bench", List.of()), spec, List.of(), PredictionRule.argmax(), null, tensors, null);
    }

    private static void run(Path dir, int mb) throws IOException {
        SavedModel m = model(mb);
        long bytes = m.parameterCount() * 4;
        Path raw = dir.resolve("bench-raw.bin");
        Path pb = dir.resolve("bench-model.pb");
        ProtoModelFormat format = new ProtoModelFormat();
        double plainWrite = median(() -> plainWrite(raw, bytes, true));
        double plainWriteNoSync = median(() -> plainWrite(raw, bytes, false));
        double plainRead = median(() -> plainRead(raw));
        ByteBuffer whole = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, bytes));
        double plainReadInto = bytes == whole.capacity() ? median(() -> plainReadInto(raw, whole)) : Double.NaN;
        byte[] array = new byte[(int) Math.min(Integer.MAX_VALUE - 8, bytes)];
        double plainReadArray = bytes == array.length ? median(() -> plainReadArray(raw, array)) : Double.NaN;
        double save = median(() -> format.write(m, pb));
        Map<String, Tensor> existing = new LinkedHashMap<>();
        m.parameters().forEach((k, v) -> existing.put(k, Tensor.zeros(v.shape())));
        TensorReceiver intoExisting = new TensorReceiver() {
            @Override
            public Tensor parameter(String name, dev.propel.tensor.Shape shape) {
                return existing.get(name);
            }

            @Override
            public Tensor optimizerState(String name, dev.propel.tensor.Shape shape) {
                throw new IllegalStateException("no optimizer state in this model");
            }
        };
        double readInto = median(() -> format.read(pb, intoExisting));
        double read = median(() -> format.read(pb, TensorReceiver.allocating()));
        long size = Files.size(pb);
        print(mb, "plain write + fsync", plainWrite, bytes, plainWrite);
        print(mb, "plain write, no fsync", plainWriteNoSync, bytes, plainWriteNoSync);
        print(mb, ".pb save (fsync)", save, bytes, plainWrite);
        print(mb, "plain read, 1 MiB buffer", plainRead, bytes, plainRead);
        print(mb, "plain read into memory", plainReadInto, bytes, plainReadInto);
        print(mb, "plain read into byte[]", plainReadArray, bytes, plainReadArray);
        print(mb, ".pb read into model", readInto, bytes, plainReadInto);
        System.out.printf(Locale.ROOT, "%-8d %-26s %31s%n", mb, "", String.format(Locale.ROOT, "%.0f%% of byte[]",
                100 * plainReadArray / readInto));
        print(mb, ".pb read, new tensors", read, bytes, plainReadInto);
        System.out.printf(Locale.ROOT, "%-8d file %d bytes for %d tensor bytes: +%.4f%%%n", mb, size, bytes,
                100.0 * (size - bytes) / bytes);
        Files.deleteIfExists(raw);
        Files.deleteIfExists(pb);
    }

    /** Loading through the registry (build the model, read into it) and the JSON form, on an MLP. */
    private static void jsonAndLoad(Path dir) throws Exception {
        try (Propel propel = Propel.create()) {
            ModelSpec spec = ModelSpec.builder().input(784).layer("dense", Map.of("units", 2048)).layer("relu")
                    .layer("dense", Map.of("units", 2048)).layer("relu").layer("dense", Map.of("units", 10))
                    .loss("cross_entropy").build();
            SavedModel m = SavedModel.builder(propel, propel.build(spec, 1)).build();
            long bytes = m.parameterCount() * 4;
            int mb = (int) (bytes / 1_000_000);
            Path pb = dir.resolve("bench-mlp.pb");
            Path json = dir.resolve("bench-mlp.json");
            ModelFiles.save(m, pb);
            double load = median(() -> ModelFiles.load(propel, pb));
            double read = median(() -> ModelFiles.read(pb));
            double build = median(() -> propel.build(spec, 1));
            print(mb, ".pb read (MLP)", read, bytes, Double.NaN);
            print(mb, "build MLP (random init)", build, bytes, Double.NaN);
            print(mb, ".pb load = build + read", load, bytes, Double.NaN);
            JsonModelFormat jf = new JsonModelFormat();
            double jsonSave = median(() -> jf.write(m, json));
            double jsonRead = median(() -> jf.read(json, TensorReceiver.allocating()));
            print(mb, ".json save", jsonSave, bytes, Double.NaN);
            print(mb, ".json read", jsonRead, bytes, Double.NaN);
            System.out.printf(Locale.ROOT, "%-8d .json file %d bytes (%.2fx the tensor bytes)%n", mb, Files.size(json),
                    (double) Files.size(json) / bytes);
            Files.deleteIfExists(pb);
            Files.deleteIfExists(json);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static double median(Step step) {
        double[] t = new double[RUNS];
        try {
            long warm = System.nanoTime();
            do step.run(); while (System.nanoTime() - warm < 2_000_000_000L); // warm-up: let the JIT compile it
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                step.run();
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }

    private static void print(int mb, String what, double seconds, long bytes, double baseline) {
        System.out.printf(Locale.ROOT, "%-8d %-26s %10.4f %10.0f %9s%n", mb, what, seconds, bytes / 1e6 / seconds,
                Double.isNaN(baseline) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * baseline / seconds));
    }

    private static void plainWrite(Path file, long bytes, boolean sync) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < bytes; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - done));
                while (buf.hasRemaining()) done += ch.write(buf);
            }
            if (sync) ch.force(true);
        }
    }

    /** The file's bytes read into one buffer of its size: the bytes end up in memory, as a model's must. */
    private static void plainReadInto(Path file, ByteBuffer whole) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            whole.clear();
            while (whole.hasRemaining() && ch.read(whole) >= 0) {
                // read only
            }
        }
    }

    /** The file read into a heap array with a FileInputStream, the most common plain Java read. */
    private static void plainReadArray(Path file, byte[] array) throws IOException {
        try (var in = new java.io.FileInputStream(file.toFile())) {
            for (int off = 0; off < array.length; ) {
                int n = in.read(array, off, Math.min(1 << 20, array.length - off));
                if (n < 0) break;
                off += n;
            }
        }
    }

    private static void plainRead(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) >= 0) {
                // read only
            }
        }
    }
}
