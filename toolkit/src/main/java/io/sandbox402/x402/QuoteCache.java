package io.sandbox402.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.internal.Json;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import io.sandbox402.x402.internal.X402Codec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Quotes that outlive the process: one small JSON file per API host and port, so that a later process
 * pays with its first request instead of asking each price with an unpaid one. An entry holds the 402's
 * requirements, the payee, network, asset and amount chosen from them, when they were quoted and for how
 * long they may be used. It holds nothing secret (no key, no signature, no nonce).
 *
 * <p>The directory is made readable by its owner only, files are written whole and renamed into place
 * (two processes writing at once leave one of their versions, never a mix), and a file that cannot be
 * read or parsed is ignored with a debug log: the cache can only save requests, never fail a call.
 */
final class QuoteCache {
    private static final System.Logger LOG = System.getLogger(QuoteCache.class.getName());

    /** Overrides the directory; {@value #OFF} turns the cache off. Takes precedence over {@link #ENV}. */
    static final String PROPERTY = "sandbox402.quoteCache";
    /** The same as {@link #PROPERTY}, for child processes and shells. */
    static final String ENV = "SANDBOX402_QUOTE_CACHE";
    static final String OFF = "off";
    static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    private static final int FORMAT = 1;
    /** A host's quotes are a few hundred bytes each; anything larger is not ours. */
    private static final long MAX_FILE_BYTES = 256 * 1024;
    private static final int MAX_ENTRIES = 64;
    /** Files of hosts not written for this long are removed, so one-off servers (emulators) do not pile up. */
    private static final Duration ABANDONED = Duration.ofDays(1);

    /** How long a key found absent is not looked up again: free calls (no quote ever) would read the file each time. */
    private static final Duration MISS_MEMORY = Duration.ofSeconds(60);

    private final Path directory;
    private final Duration ttl;
    private final Map<String, Instant> misses = new ConcurrentHashMap<>();

    QuoteCache(Path directory, Duration ttl) {
        this.directory = directory;
        this.ttl = ttl;
    }

    /**
     * The default directory, read from no environment: {@value #PROPERTY} when set ({@value #OFF} for none),
     * else {@code ~/.cache/sandbox402}.
     */
    static Optional<Path> defaultDirectory() {
        return directory(Map.of());
    }

    /**
     * The directory {@code environment} asks for: {@value #PROPERTY} when set, else {@value #ENV} (a directory,
     * or {@value #OFF}), else {@code $XDG_CACHE_HOME/sandbox402}, else {@code ~/.cache/sandbox402}.
     */
    static Optional<Path> directory(Map<String, String> environment) {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = environment.get(ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return OFF.equalsIgnoreCase(configured.trim()) ? Optional.empty() : Optional.of(Path.of(configured.trim()));
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "sandbox402"));
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "sandbox402"));
    }

    /** A stored quote, already checked to be fresh and well formed. */
    record Stored(PaymentRequired required, String payTo, String network, String asset, String amount, Instant expires) {

        /** Whether {@code entry}, chosen again from the stored requirements, is what was stored. */
        boolean matches(PaymentRequirements entry) {
            return entry.payTo().equalsIgnoreCase(payTo) && entry.network().equals(network)
                    && entry.asset().equalsIgnoreCase(asset) && entry.amount().toString().equals(amount);
        }
    }

    /** The fresh quote stored under {@code key}, if any. */
    Optional<Stored> get(HttpUrl url, String key, Instant now) {
        Instant missed = misses.get(key);
        if (missed != null && now.isBefore(missed.plus(MISS_MEMORY)) && !now.isBefore(missed)) {
            return Optional.empty();
        }
        Optional<Stored> found = read(url, key, now);
        if (found.isEmpty()) {
            misses.put(key, now);
        }
        return found;
    }

    private Optional<Stored> read(HttpUrl url, String key, Instant now) {
        JsonNode entry = read(file(url)).path("quotes").path(key);
        if (!entry.isObject()) {
            return Optional.empty();
        }
        try {
            Instant quoted = Instant.ofEpochSecond(entry.path("quotedAt").asLong(Long.MIN_VALUE));
            Instant expires = quoted.plusSeconds(Math.min(entry.path("ttlSeconds").asLong(0), ttl.getSeconds()));
            if (!now.isBefore(expires) || quoted.isAfter(now.plusSeconds(60))) {
                return Optional.empty(); // expired, or quoted in the future: not to be trusted
            }
            byte[] json = Json.MAPPER.writeValueAsBytes(entry.get("requirements"));
            PaymentRequired required = X402Codec.parsePaymentRequired(Base64.getEncoder().encodeToString(json), null);
            return Optional.of(new Stored(required, text(entry, "payTo"), text(entry, "network"), text(entry, "asset"),
                    text(entry, "amount"), expires));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Ignoring the quote for {0} in {1}: {2}", key, file(url), e.toString());
            return Optional.empty();
        }
    }

    /** Stores {@code required}, from which {@code chosen} was picked, as quoted at {@code quoted}. */
    void put(HttpUrl url, String key, PaymentRequired required, PaymentRequirements chosen, Instant quoted) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("quotedAt", quoted.getEpochSecond());
        entry.put("ttlSeconds", ttl.getSeconds());
        entry.put("payTo", chosen.payTo());
        entry.put("network", chosen.network());
        entry.put("asset", chosen.asset());
        entry.put("amount", chosen.amount().toString());
        entry.set("requirements", requirementsNode(required));
        misses.remove(key);
        update(url, quotes -> quotes.set(key, entry));
    }

    /** Drops the quote stored under {@code key}: it was refused, or the policy no longer allows it. */
    void remove(HttpUrl url, String key) {
        update(url, quotes -> quotes.remove(key));
    }

    private static ObjectNode requirementsNode(PaymentRequired required) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("x402Version", required.x402Version());
        if (required.resource() != null) {
            node.set("resource", required.resource());
        }
        ArrayNode accepts = node.putArray("accepts");
        required.accepts().forEach(entry -> accepts.add(entry.raw()));
        if (required.extensions() != null) {
            node.set("extensions", required.extensions());
        }
        return node;
    }

    private interface Change {
        void apply(ObjectNode quotes);
    }

    /** Reads the host's file, applies {@code change}, writes it whole and renames it into place. */
    private synchronized void update(HttpUrl url, Change change) {
        Path file = file(url);
        try {
            ensureDirectory();
            JsonNode current = read(file);
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("format", FORMAT);
            ObjectNode quotes = root.putObject("quotes");
            if (current.path("quotes").isObject()) {
                quotes.setAll((ObjectNode) current.get("quotes"));
            }
            change.apply(quotes);
            while (quotes.size() > MAX_ENTRIES) {
                quotes.remove(oldest(quotes));
            }
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temporary, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            removeAbandoned(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not update the quote cache {0}: {1}", file, e.toString());
        }
    }

    private static String oldest(ObjectNode quotes) {
        Iterator<Map.Entry<String, JsonNode>> fields = quotes.fields();
        String oldest = null;
        long when = Long.MAX_VALUE;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            long quoted = field.getValue().path("quotedAt").asLong(Long.MIN_VALUE);
            if (oldest == null || quoted < when) {
                oldest = field.getKey();
                when = quoted;
            }
        }
        return oldest;
    }

    private void ensureDirectory() throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory.getParent() == null ? directory : directory.getParent());
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // made by another process meanwhile
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory); // not POSIX: the platform's defaults
        }
    }

    private void removeAbandoned(Path written) {
        FileTime before = FileTime.from(Instant.now().minus(ABANDONED));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                if (!file.equals(written) && Files.getLastModifiedTime(file).compareTo(before) < 0) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not tidy the quote cache {0}: {1}", directory, e.toString());
        }
    }

    /** The host's parsed file, or an empty object when it is missing, too large or unreadable. */
    private static JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
            }
            JsonNode root = Json.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (root == null || !root.isObject() || root.path("format").asInt() != FORMAT) {
                throw new IOException("not a quote cache of format " + FORMAT);
            }
            return root;
        } catch (NoSuchFileException e) {
            return Json.MAPPER.createObjectNode();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Ignoring the unreadable quote cache {0}: {1}", file, e.toString());
            return Json.MAPPER.createObjectNode();
        }
    }

    /** One file per host and port: {@code blockrun.ai_443.json}. */
    Path file(HttpUrl url) {
        return directory.resolve((url.host() + "_" + url.port()).replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value.asText();
    }
}
