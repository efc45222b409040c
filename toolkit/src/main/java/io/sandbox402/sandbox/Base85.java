package io.sandbox402.sandbox;

import java.io.ByteArrayOutputStream;

/**
 * Python's {@code base64.b85encode}/{@code b85decode} (RFC 1924's alphabet, unpadded): 5 characters
 * for 4 bytes where base64 needs 5.33, so about 6 % fewer paid execs for the same file. Its alphabet
 * has no quote and no backslash, so it also fits inside a Python string literal as it is.
 */
final class Base85 {
    static final String ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base85() {}

    /** The characters for {@code length} bytes: 5 per 4, and n + 1 for a last group of n. */
    static long encodedLength(long length) {
        return length / 4 * 5 + (length % 4 == 0 ? 0 : length % 4 + 1);
    }

    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder((int) encodedLength(bytes.length));
        char[] group = new char[5];
        for (int i = 0; i < bytes.length; i += 4) {
            int n = Math.min(4, bytes.length - i);
            long word = 0;
            for (int j = 0; j < 4; j++) {
                word = word << 8 | (j < n ? bytes[i + j] & 0xff : 0);
            }
            for (int j = 4; j >= 0; j--) {
                group[j] = ALPHABET.charAt((int) (word % 85));
                word /= 85;
            }
            out.append(group, 0, n == 4 ? 5 : n + 1);
        }
        return out.toString();
    }

    /** Decodes {@code text}; {@code null} when it holds a character outside the alphabet or a lone last character. */
    static byte[] decode(CharSequence text) {
        int length = text.length();
        if (length % 5 == 1) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 5 * 4 + 4);
        for (int i = 0; i < length; i += 5) {
            int n = Math.min(5, length - i);
            long word = 0;
            for (int j = 0; j < 5; j++) {
                int value = 84;
                if (j < n) {
                    char c = text.charAt(i + j);
                    value = c < 128 ? VALUES[c] : -1;
                    if (value < 0) {
                        return null;
                    }
                }
                word = word * 85 + value;
            }
            if (word > 0xffffffffL) {
                return null;
            }
            for (int j = 0; j < n - 1; j++) {
                out.write((int) (word >>> (24 - 8 * j)) & 0xff);
            }
        }
        return out.toByteArray();
    }
}
