package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.infra.openapi.OpenApiContract;
import dev.meterstream.infra.openapi.ProblemKinds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi/ingest-api.yaml names every problem type this service's code (and the support code it runs) can answer,
 * and no other. The ITs check each answer they get against the same document.
 */
class OpenApiDocumentTest {
    @Test
    void shouldNameEveryProblemTypeTheCodeAnswersAndNoOther() {
        assertEquals(ProblemKinds.in(Path.of("src/main/java"), Path.of("../support/src/main/java")),
                OpenApiContract.of("ingest-api").problemTypes());
    }
}
