package dev.meterstream.infra.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentWatchIT {
    /** A child that would run forever on its own. */
    public static final class Forever {
        public static void main(final String[] args) throws InterruptedException {
            System.out.println("started");
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    @Test
    void childShouldExitWhenItsParentPipeCloses(@TempDir final Path dir) throws Exception {
        final Path testClasses = Path.of(Forever.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final JavaProcess child = JavaProcess.builder("forever")
                .classpath(List.of(testClasses))
                .mainClass(Forever.class.getName())
                .logFile(dir.resolve("forever.log"))
                .start();
        try {
            Await.until("the child to start", Duration.ofSeconds(30),
                    () -> java.nio.file.Files.readString(child.logFile()).contains("started"));
            assertTrue(child.isAlive());
            child.closeParentPipe();
            Await.until("the child to exit after its parent pipe closed", Duration.ofSeconds(30),
                    () -> !child.isAlive());
            assertFalse(child.handle().isAlive());
        } finally {
            child.kill();
        }
    }
}
