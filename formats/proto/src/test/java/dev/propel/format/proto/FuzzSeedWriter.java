package dev.propel.format.proto;

import dev.propel.Propel;
import dev.propel.model.ModelFiles;
import dev.propel.model.testplugin.TinyModels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the fuzzer's seed inputs (valid files for it to mutate) into
 * {@code src/test/resources/dev/propel/format/proto/ProtoReaderFuzzTestInputs/readerAcceptsOrRefusesCleanly/}.
 * Run like {@link FixtureWriter}.
 */
public final class FuzzSeedWriter {
    private FuzzSeedWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".")
                .resolve("src/test/resources/dev/propel/format/proto/ProtoReaderFuzzTestInputs/readerAcceptsOrRefusesCleanly");
        Files.createDirectories(dir);
        try (Propel propel = TinyModels.propel()) {
            Path trained = dir.resolve("seed-trained");
            new ProtoModelFormat(64).write(TinyModels.trained(propel, 1), trained);
            Path untrained = dir.resolve("seed-untrained");
            ModelFiles.save(dev.propel.model.SavedModel.builder(propel, propel.build(TinyModels.spec(2, 3, 1), 1)).build(),
                    dir.resolve("seed-untrained.pb"));
            Files.move(dir.resolve("seed-untrained.pb"), untrained, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.write(dir.resolve("seed-empty"), new byte[0]);
        Files.write(dir.resolve("seed-preamble"), new byte[]{(byte) 0x89, 'P', 'R', 'O', 'P', 'E', 'L', '\n', 1, 0, 0, 0});
    }
}
