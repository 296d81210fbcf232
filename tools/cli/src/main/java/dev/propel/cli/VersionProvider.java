package dev.propel.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code propel --version}: the CLI's version from the jar manifest, and the JVM it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[]{
                "propel " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
