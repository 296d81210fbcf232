package dev.propel.cli;

import dev.propel.Propel;
import dev.propel.format.onnx.OnnxModelFormat;
import dev.propel.model.ModelFiles;
import dev.propel.model.ModelFormat;
import dev.propel.model.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code propel convert}: a model file from one format to another, chosen by extension; every bit of every
 * tensor kept. To ONNX (an inference graph, docs/onnx.md) the optimizer state and provenance are left out.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a model file between formats, chosen by extension (.pb, .json, .onnx); every tensor is kept bit for bit.",
                "ONNX files hold the inference graph: the optimizer state and training record are not written to them (docs/onnx.md).",
                "Example: propel convert model.pb model.json",
                "         propel convert model.pb model.onnx      (run it in ONNX Runtime)",
                "         propel convert pytorch.onnx model.pb    (fine-tune it with propel train --model)"})
final class ConvertCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Parameters(index = "0", paramLabel = "FROM", description = "The model file to read (.pb, .json or .onnx).")
    private Path from;

    @Parameters(index = "1", paramLabel = "TO", description = "The model file to write (.pb, .json or .onnx).")
    private Path to;

    @Option(names = "--external-data", paramLabel = "BYTES",
            description = "To .onnx: store every tensor of at least BYTES bytes in the external data file TO.data beside TO"
                    + " (default: only when the tensors exceed 1 GiB, as a protobuf file holds at most 2 GiB).")
    private Long externalData;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        ModelIo.checkWritable("TO", to, from);
        ModelFormat target = ModelFiles.formatFor(to);
        if (externalData != null) {
            if (!(target instanceof OnnxModelFormat)) {
                throw new IllegalArgumentException("--external-data applies to .onnx files only, but TO is " + to + " (" + target.name() + ")");
            }
            if (externalData < 0) throw new IllegalArgumentException("--external-data must be 0 or more bytes, got " + externalData);
            target = new OnnxModelFormat(externalData);
        }
        SavedModel m = ModelIo.read(from);
        try (Propel propel = root.propel()) {
            target.write(m, to, propel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + to + ": " + e.getMessage(), e);
        }
        boolean dropsTraining = target instanceof OnnxModelFormat && (m.optimizerState() != null || m.provenance() != null);
        root.out.println(String.format(Locale.ROOT, "converted %s (%s) to %s (%s): %d layers, %,d parameters in %d tensors%s",
                from, ModelFiles.formatFor(from).name(), to, target.name(), m.spec().layers().size(),
                m.parameterCount(), m.parameters().size(),
                dropsTraining ? "; the optimizer state and training record stay behind (ONNX holds the inference graph)"
                        : m.optimizerState() == null ? "" : ", optimizer state included"));
        return 0;
    }
}
