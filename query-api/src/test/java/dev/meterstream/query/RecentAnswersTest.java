package dev.meterstream.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentAnswersTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger computed = new AtomicInteger();

    private String compute() {
        return "answer " + computed.incrementAndGet();
    }

    @Test
    void shouldReuseAnAnswerWithinItsTtlAndComputeANewOneAfter() {
        final RecentAnswers<String, String> answers = new RecentAnswers<>(Duration.ofSeconds(2), 10, clock::get);
        assertEquals("answer 1", answers.get("week", this::compute));
        clock.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertEquals("answer 1", answers.get("week", this::compute));
        assertEquals("answer 2", answers.get("month", this::compute), "another key is another answer");
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals("answer 3", answers.get("week", this::compute), "expired after exactly the ttl");
    }

    @Test
    void shouldKeepNothingWithAZeroTtl() {
        final RecentAnswers<String, String> answers = new RecentAnswers<>(Duration.ZERO, 10, clock::get);
        answers.get("week", this::compute);
        assertEquals("answer 2", answers.get("week", this::compute));
        assertEquals(0, answers.size());
    }

    @Test
    void shouldNotKeepAFailure() {
        final RecentAnswers<String, String> answers = new RecentAnswers<>(Duration.ofSeconds(2), 10, clock::get);
        final IllegalStateException failure = new IllegalStateException("views unavailable");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> answers.get("week", () -> {
            throw failure;
        })));
        assertEquals("answer 1", answers.get("week", this::compute));
    }

    @Test
    void shouldStayBoundedUnderABurstOfDistinctRequests() {
        final RecentAnswers<Integer, String> answers = new RecentAnswers<>(Duration.ofSeconds(2), 100, clock::get);
        for (int key = 0; key < 1_000; key++) {
            answers.get(key, this::compute);
            assertTrue(answers.size() <= 101, "held " + answers.size());
        }
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        answers.get(-1, this::compute);
        assertTrue(answers.size() <= 101, "held " + answers.size());
    }

    @Test
    void shouldComputeOnceForIdenticalRequestsMissingTogether() throws Exception {
        final RecentAnswers<String, String> answers = new RecentAnswers<>(Duration.ofSeconds(2), 10, clock::get);
        final CountDownLatch computing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            final Future<String> first = threads.submit(() -> answers.get("week", () -> {
                computing.countDown();
                await(release);
                return compute();
            }));
            assertTrue(computing.await(10, TimeUnit.SECONDS));
            final List<Future<String>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                others.add(threads.submit(() -> answers.get("week", this::compute)));
            }
            release.countDown();
            assertEquals("answer 1", first.get(10, TimeUnit.SECONDS));
            for (final Future<String> other : others) {
                assertEquals("answer 1", other.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, computed.get());
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(final CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
