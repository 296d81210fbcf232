package dev.propel.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Propel build (from {@code propel-version.properties}, filled in by Maven). */
public final class PropelVersion {
    private static final String CURRENT = load();

    private PropelVersion() {
    }

    /** E.g. {@code "0.1.0"}; {@code "unknown"} when the resource is missing (an unpackaged build). */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = PropelVersion.class.getResourceAsStream("propel-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read propel-version.properties from the core jar", e);
        }
    }
}
