package io.sandbox402.agent.cli;

import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in text a server sent back, before it is printed: bearer tokens,
 * OpenAI-style keys ({@code sk-...}) and 32-byte hex keys ({@code 0x} and 64 hex digits). A server
 * that echoes the request would otherwise print the caller's key.
 */
final class Secrets {
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{4,}");
    private static final Pattern API_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_-]{6,}");
    private static final Pattern HEX_KEY = Pattern.compile("\\b0x[0-9a-fA-F]{64}\\b");

    private Secrets() {}

    static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = BEARER.matcher(text).replaceAll("$1***");
        masked = API_KEY.matcher(masked).replaceAll("sk-***");
        return HEX_KEY.matcher(masked).replaceAll("0x***");
    }

    /** A server's answer for a message: secrets masked, one line, at most {@code max} characters. */
    static String excerpt(String body, int max) {
        String line = mask(body).replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max) + "... (" + line.length() + " characters)";
    }
}
