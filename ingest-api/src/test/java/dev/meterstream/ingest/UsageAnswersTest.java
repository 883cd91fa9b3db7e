package dev.meterstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meterstream.event.EventParser;
import dev.meterstream.event.Violation;
import dev.meterstream.support.http.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageAnswersTest {
    @Test
    void shouldListAtMostAHundredViolationsARequestAndCountTheRest() {
        final List<EventParser.Result> results = new ArrayList<>();
        for (int event = 0; event < 1000; event++) {
            final List<Violation> violations = new ArrayList<>();
            for (int field = 0; field < 12; field++) {
                violations.add(new Violation("f" + field, "is not a field of a usage event"));
            }
            results.add(new EventParser.Rejected(violations));
        }
        final Problem problem = UsageAnswers.refused(Problem.of(400, "invalid-event", "Invalid event", "none valid"),
                results, true);
        assertEquals(Problem.MAX_ERRORS, problem.errors().size());
        assertEquals("[0].f0", problem.errors().getFirst().field());
        assertEquals("[9].f9", problem.errors().getLast().field(), "ten of each event, in order");
        assertEquals(12 * 1000 - Problem.MAX_ERRORS, problem.errorsOmitted(), "every violation listed or counted");
        assertEquals(true, problem.toJson().length < 10_000, "the answer does not grow with the request");
    }
}
