package io.sandbox402.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embedding" section compiles as written: each {@code ```java} block becomes the body
 * of a method, compiled against this module's test classpath.
 *
 * <p>A block gets the imports a reader would add (the wildcard imports in {@link #IMPORTS}); what
 * the prose before it defined (a provider, a model) comes from an HTML comment right above it, which
 * a rendered README does not show: {@code <!-- given: ChatModel model; BlockRunProvider sandboxes; -->}.
 * Its declarations become members of the snippet's class.
 */
class ReadmeSnippetsTest {
    static final Path README = Path.of("..", "README.md");
    static final String SECTION = "## Embedding";

    /** What a user of the library imports, as wildcards: a snippet names its types by their simple names. */
    static final List<String> IMPORTS = List.of(
            "io.sandbox402.agent.*",
            "io.sandbox402.sandbox.*",
            "io.sandbox402.sandbox.blockrun.*",
            "io.sandbox402.sandbox.local.*",
            "io.sandbox402.tools.*",
            "io.sandbox402.x402.*",
            "dev.langchain4j.memory.chat.*",
            "dev.langchain4j.model.chat.*",
            "dev.langchain4j.model.openai.*",
            "dev.langchain4j.service.*",
            "okhttp3.*",
            "java.math.*",
            "java.nio.file.*",
            "java.time.*",
            "java.util.*");

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- given:(?<given>[^>]*)-->\\s*\\n)?```java\\n(?<code>.*?)```", Pattern.DOTALL);

    @TempDir
    Path classes;

    record Snippet(int number, int line, String given, String code) {
        String source() {
            StringBuilder source = new StringBuilder();
            IMPORTS.forEach(name -> source.append("import ").append(name).append(";\n"));
            source.append("class ").append(className()).append(" {\n")
                    .append(given).append('\n')
                    .append("void snippet() throws Exception {\n")
                    .append(code)
                    .append("}\n}\n");
            return source.toString();
        }

        String className() {
            return "ReadmeSnippet" + number;
        }

        /** Lines before the snippet's first one in {@link #source}. */
        int offset() {
            return IMPORTS.size() + 1 + (given.isEmpty() ? 1 : (int) given.lines().count()) + 1;
        }
    }

    @Test
    void should_compile_every_java_snippet_of_the_embedding_section() throws IOException {
        // given
        List<Snippet> snippets = snippets(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(snippets).as("```java blocks in the README's " + SECTION + " section").hasSizeGreaterThanOrEqualTo(4);

        // when (one compilation: the classpath is read once)
        List<Diagnostic<? extends JavaFileObject>> errors = compile(snippets);

        // then
        List<String> failures = new ArrayList<>();
        for (Snippet snippet : snippets) {
            String diagnostics = errors.stream()
                    .filter(d -> d.getSource() != null && d.getSource().getName().endsWith(snippet.className() + ".java"))
                    .map(d -> "  README.md line " + (snippet.line() - 1 + d.getLineNumber() - snippet.offset()) + ": "
                            + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            if (!diagnostics.isEmpty()) {
                failures.add("README.md line " + snippet.line() + ", snippet " + snippet.number() + ":\n"
                        + snippet.code() + "does not compile:\n" + diagnostics);
            }
        }
        assertThat(errors).as("errors outside the snippets: " + errors).allMatch(d -> d.getSource() != null);
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
    }

    @Test
    void should_report_a_snippet_that_does_not_compile_with_its_line() throws IOException {
        // given a README whose second snippet calls a method that does not exist
        String readme = "# x\n\n" + SECTION + "\n\n```java\nint a = 1;\n```\n\ntext\n\n<!-- given: String name; -->\n"
                + "```java\nname.noSuchMethod();\n```\n\n## Next\n```java\nnot in the section\n```\n";

        // when
        List<Snippet> snippets = snippets(readme);
        List<Diagnostic<? extends JavaFileObject>> errors = compile(snippets);

        // then
        assertThat(snippets).extracting(Snippet::line).containsExactly(6, 13);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getSource().getName()).endsWith(snippets.get(1).className() + ".java");
        assertThat(snippets.get(1).line() - 1 + errors.get(0).getLineNumber() - snippets.get(1).offset()).isEqualTo(13);
    }

    static List<Snippet> snippets(String readme) {
        int start = readme.indexOf("\n" + SECTION + "\n");
        assertThat(start).as("the README has a " + SECTION + " section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<Snippet> snippets = new ArrayList<>();
        Matcher block = BLOCK.matcher(section);
        while (block.find()) {
            String given = block.group("given") == null ? "" : block.group("given").strip();
            int line = 1 + (int) readme.substring(0, start + block.start("code")).chars().filter(c -> c == '\n').count();
            snippets.add(new Snippet(snippets.size() + 1, line, given, block.group("code")));
        }
        return snippets;
    }

    private List<Diagnostic<? extends JavaFileObject>> compile(List<Snippet> snippets) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Snippet snippet : snippets) {
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + snippet.className() + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return snippet.source();
                }
            });
        }
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                    "-proc:none", "-Xlint:none", "-parameters");
            compiler.getTask(new StringWriter(), files, diagnostics, options, null, sources).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).collect(Collectors.toList());
    }
}
