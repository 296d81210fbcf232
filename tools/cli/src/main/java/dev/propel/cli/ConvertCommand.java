package dev.propel.cli;

import dev.propel.model.ModelFiles;
import dev.propel.model.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code propel convert}: a model file from one format to another, chosen by extension; every bit of every tensor kept. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Convert a model file to another format (by the file names' extensions); every tensor is kept bit for bit.",
                "Example: propel convert model.pb model.json"})
final class ConvertCommand implements Callable<Integer> {
    @ParentCommand
    private PropelCommand root;

    @Parameters(index = "0", paramLabel = "FROM", description = "The model file to read (.pb or .json).")
    private Path from;

    @Parameters(index = "1", paramLabel = "TO", description = "The model file to write (.pb or .json).")
    private Path to;

    @Mixin
    private GlobalOptions global;

    @Override
    public Integer call() {
        ModelIo.checkWritable("TO", to, from);
        SavedModel m = ModelIo.read(from);
        ModelIo.save(m, to);
        root.out.println(String.format(Locale.ROOT, "converted %s (%s) to %s (%s): %d layers, %,d parameters in %d tensors%s",
                from, ModelFiles.formatFor(from).name(), to, ModelFiles.formatFor(to).name(), m.spec().layers().size(),
                m.parameterCount(), m.parameters().size(), m.optimizerState() == null ? "" : ", optimizer state included"));
        return 0;
    }
}
