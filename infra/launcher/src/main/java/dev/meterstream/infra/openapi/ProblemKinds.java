package dev.meterstream.infra.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The problem types ({@code /problems/<kind>}) that source code can answer, read from it: the kind given to
 * {@code Problem.of(status, kind, ...)} as a literal, as a constant of the same file, or as the {@code kind}
 * parameter of a helper whose callers pass literals. A kind made at run time (FrameworkProblems' fallback for a
 * status it does not name) is not found, and is left out on purpose.
 */
public final class ProblemKinds {
    private static final Pattern LITERAL = Pattern.compile("Problem\\.of\\(\\s*\\d+,\\s*\"([a-z0-9-]+)\"");
    private static final Pattern CONSTANT = Pattern.compile("Problem\\.of\\(\\s*\\d+,\\s*([A-Z][A-Z0-9_]*)\\s*,");
    private static final Pattern PARAMETER = Pattern.compile("Problem\\.of\\(\\s*\\d+,\\s*([a-z][A-Za-z0-9]*)\\s*,");

    private ProblemKinds() {
    }

    /** Every kind answered by the Java sources under {@code roots}, as {@code /problems/<kind>}. */
    public static Set<String> in(final Path... roots) {
        final Set<String> kinds = new TreeSet<>();
        for (final Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> kinds.addAll(of(read(file))));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kinds;
    }

    static Set<String> of(final String source) {
        final Set<String> kinds = new TreeSet<>();
        final Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            kinds.add("/problems/" + literal.group(1));
        }
        final Matcher constant = CONSTANT.matcher(source);
        while (constant.find()) {
            final Matcher value = Pattern.compile("String\\s+" + constant.group(1) + "\\s*=\\s*\"([a-z0-9-]+)\"")
                    .matcher(source);
            if (!value.find()) {
                throw new IllegalStateException("a problem kind named " + constant.group(1) + " has no literal value");
            }
            kinds.add("/problems/" + value.group(1));
        }
        final Matcher parameter = PARAMETER.matcher(source);
        while (parameter.find()) {
            final Matcher helper = Pattern.compile("(\\w+)\\([^)]*String\\s+" + parameter.group(1) + "\\b")
                    .matcher(source);
            while (helper.find()) {
                final Matcher call = Pattern.compile("\\b" + helper.group(1) + "\\(\\s*\"([a-z0-9-]+)\"")
                        .matcher(source);
                while (call.find()) {
                    kinds.add("/problems/" + call.group(1));
                }
            }
        }
        return kinds;
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
