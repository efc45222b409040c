package io.sandbox402.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The CLI's version as the build set it: the jar manifest's {@code Implementation-Version} when run
 * from the jar, else {@code version.properties}, which the build filters (so the classes directory of
 * a test run knows it too). Never a constant that a release could forget to bump.
 */
final class BuildVersion implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"sandbox402 code-interpreter " + version()};
    }

    /** The version, for instance {@code 0.1.0}; fails when the build did not set it. */
    static String version() {
        String manifest = BuildVersion.class.getPackage().getImplementationVersion();
        if (manifest != null) {
            return manifest;
        }
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + BuildVersion.class.getName()
                        + ": build the CLI with Maven, which writes it.");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(RESOURCE + " holds no version (" + version + "): build the CLI with"
                        + " Maven, whose resource filtering writes it.");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
