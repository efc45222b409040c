package io.sandbox402;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.Sandbox;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The toolkit's public API, listed: every public type with its public constructors, methods and
 * fields, checked against {@code src/test/resources/public-api.txt}. Widening (or narrowing) the API
 * is then a visible decision in review. To accept a change, run
 * {@code mvn -pl toolkit test -Dtest=PublicApiTest -Dsandbox402.acceptApi=true} and commit the file.
 *
 * <p>{@code io.sandbox402.internal} and {@code io.sandbox402.x402.internal} are listed apart: public for the other modules of this project,
 * never API.
 */
class PublicApiTest {
    private static final Path LISTING = Path.of("src/test/resources/public-api.txt");

    @Test
    void should_match_the_listed_public_api() throws Exception {
        // given
        List<String> actual = listPublicApi();

        // when the listing is being accepted
        if (Boolean.getBoolean("sandbox402.acceptApi")) {
            Files.write(LISTING, actual, StandardCharsets.UTF_8);
        }

        // then
        List<String> expected = Files.exists(LISTING) ? Files.readAllLines(LISTING, StandardCharsets.UTF_8) : List.of();
        assertThat(actual)
                .as("The toolkit's public API changed. If that is intended, accept it with "
                        + "-Dsandbox402.acceptApi=true and commit toolkit/src/test/resources/public-api.txt.")
                .containsExactlyElementsOf(expected);
    }

    static List<String> listPublicApi() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Sandbox.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(classes::relativize).map(Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            if (!isExported(type)) {
                continue;
            }
            lines.add(describe(type));
            TreeSet<String> members = new TreeSet<>();
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                    members.add("  " + signature(type.getSimpleName(), constructor));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                    members.add("  " + (Modifier.isStatic(method.getModifiers()) ? "static " : "")
                            + method.getGenericReturnType().getTypeName() + " " + signature(method.getName(), method));
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers()) && !field.isSynthetic()) {
                    members.add("  " + (Modifier.isStatic(field.getModifiers()) ? "static " : "")
                            + field.getGenericType().getTypeName() + " " + field.getName());
                }
            }
            lines.addAll(members);
        }
        return lines;
    }

    /** Public, and reachable: every enclosing type public too. */
    private static boolean isExported(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String describe(Class<?> type) {
        String kind = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isAnnotation() ? "@interface"
                : type.isInterface() ? "interface" : "class";
        String internal = type.getPackageName().endsWith(".internal") ? " (internal: not API)" : "";
        String sealed = type.isSealed() ? "sealed " : "";
        return sealed + kind + " " + type.getName() + internal;
    }

    private static String signature(String name, Executable executable) {
        return name + Arrays.stream(executable.getGenericParameterTypes()).map(java.lang.reflect.Type::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
