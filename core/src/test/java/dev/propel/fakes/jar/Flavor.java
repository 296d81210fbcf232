package dev.propel.fakes.jar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a library that both the host and a plugin use in different versions: its "version"
 * is the text of {@code flavor.txt} next to the class, which is "host" on the test class path and
 * something else inside the test jars. Whoever loaded the class decides which file it reads.
 */
public final class Flavor {
    private Flavor() {
    }

    public static String name() {
        try (InputStream in = Flavor.class.getResourceAsStream("flavor.txt")) {
            if (in == null) return "none";
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
