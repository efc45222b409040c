package io.sandbox402.sandbox;

import java.util.Locale;

/**
 * The languages {@link Sandbox#runCode} runs, each with the interpreter that runs a source file.
 *
 * <p>Immutable, so thread-safe.
 */
public enum Language {
    /** Python 3, run by {@code python3}. */
    PYTHON("python3", "py"),
    /** JavaScript, run by Node.js ({@code node}). */
    JAVASCRIPT("node", "js"),
    /** A Bash script, run by {@code bash}. */
    BASH("bash", "sh");

    private final String interpreter;
    private final String extension;

    Language(String interpreter, String extension) {
        this.interpreter = interpreter;
        this.extension = extension;
    }

    /** {@return the program that runs a source file, for instance {@code python3}} */
    public String interpreter() {
        return interpreter;
    }

    /** {@return the usual file extension, without the dot} */
    public String extension() {
        return extension;
    }

    /**
     * Parses {@code python}, {@code py}, {@code javascript}, {@code js}, {@code node}, {@code bash} or {@code sh}.
     *
     * @param name a language or interpreter name, ignoring case and surrounding spaces
     * @return the language
     * @throws IllegalArgumentException when the name is none of those
     */
    public static Language parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "python": case "python3": case "py":
                return PYTHON;
            case "javascript": case "js": case "node": case "nodejs":
                return JAVASCRIPT;
            case "bash": case "sh": case "shell":
                return BASH;
            default:
                throw new IllegalArgumentException(
                        "Unknown language '" + name + "'. Use python, javascript or bash.");
        }
    }
}
