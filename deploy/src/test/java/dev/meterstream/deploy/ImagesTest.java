package dev.meterstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each service's image as {@code ./mvnw -Pimages package} left it (target/image.tar): its tag, entry point, user
 * and port (the one the service listens on, which the deployment files' tests hold them to), and that it starts:
 * the image's own JRE, on the image's own C library, loads the service's main class from the image's classpath
 * ({@code java --dry-run}, in a chroot of the unpacked layers, as the image's user). Runs with -Pimages only.
 */
@EnabledIfSystemProperty(named = "meterstream.images", matches = "true")
class ImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "65532:65532";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    @ParameterizedTest
    @CsvSource({"ingest-api, dev.meterstream.ingest.Main", "stream-processor, dev.meterstream.processor.Main",
            "query-api, dev.meterstream.query.Main"})
    void theImageRunsItsServiceAsNonRootOnItsPort(final String module, final String mainClass)
            throws Exception {
        final int port = ServiceSettings.port(module);
        final Path tar = KubernetesSchemas.home().resolve(module).resolve("target/image.tar");
        assertTrue(Files.isRegularFile(tar), tar + " (build with ./mvnw -Pimages package)");
        final Path work = Files.createTempDirectory("image-" + module);
        try {
            final Path layout = Files.createDirectories(work.resolve("layout"));
            run(List.of("tar", "-xf", tar.toString(), "-C", layout.toString()));
            // Jib's tar is what `docker load` takes: manifest.json names the configuration and the layers.
            final JsonNode manifest = JSON.readTree(layout.resolve("manifest.json").toFile()).get(0);
            assertEquals("meterstream/" + module + ":" + System.getProperty("meterstream.version"),
                    manifest.path("RepoTags").get(0).asText(), "the tag deploy/kubernetes and deploy/compose name");
            final JsonNode config = JSON.readTree(layout.resolve(manifest.path("Config").asText()).toFile())
                    .path("config");

            assertEquals(USER, config.path("User").asText(), "not root");
            assertEquals(List.of(port + "/tcp"), names(config.path("ExposedPorts")));
            final List<String> entrypoint = new ArrayList<>();
            config.path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
            assertEquals(List.of("/opt/java/bin/java", "-XX:+ExitOnOutOfMemoryError", "-cp",
                    "@/app/jib-classpath-file", mainClass), entrypoint);
            assertTrue(config.path("Env").toString().contains("SERVER_HOST=0.0.0.0"), "listens beyond loopback");

            final Path root = Files.createDirectories(work.resolve("root"));
            for (final JsonNode layer : manifest.path("Layers")) {
                run(List.of("tar", "-xzf", layout.resolve(layer.asText()).toString(), "-C", root.toString()));
            }
            assertTrue(Files.isRegularFile(root.resolve("app/jib-classpath-file")), "the classpath file the "
                    + "schema job names (deploy/kubernetes/cassandra/schema-job.yaml)");

            // As a container runtime runs it: the image's files as the root, /proc mounted (the JVM's launcher finds
            // its libraries through /proc/self/exe), as the image's user. A new mount and PID namespace keep the
            // mount from outliving the command; without root, a user namespace gives the rights to make them.
            Files.createDirectories(root.resolve("proc"));
            final List<String> inImage = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
                    "--mount-proc=" + root.resolve("proc")));
            if (!"root".equals(System.getProperty("user.name"))) {
                inImage.add(1, "--map-root-user");
            }
            inImage.addAll(List.of("chroot", "--userspec=" + USER, root.toString(), "/opt/java/bin/java"));
            final List<String> dryRun = new ArrayList<>(inImage);
            dryRun.addAll(List.of("--dry-run", "-cp", "@/app/jib-classpath-file", mainClass));
            run(dryRun);
            final List<String> settings = new ArrayList<>(inImage);
            settings.addAll(List.of("-XshowSettings:properties", "-version"));
            final String properties = run(settings);
            assertTrue(properties.contains("user.name = nonroot") && properties.contains("user.home = /home/nonroot"),
                    "the user is named in the image: " + properties);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static List<String> names(final JsonNode object) {
        final List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Runs a command to its end, within a deadline; fails with its output unless it exits 0, else returns it. */
    private static String run(final List<String> command) throws IOException, InterruptedException {
        final Path output = Files.createTempFile("command", ".log");
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " took over " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            final String printed = Files.readString(output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + printed);
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
