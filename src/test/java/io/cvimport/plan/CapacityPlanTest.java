package io.cvimport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CapacityPlanTest {

    static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");

    static PlannedRow row(long number, String target, String resource, @Nullable Instant expiry) {
        return new PlannedRow(number, "westus2", target, "token" + number, resource, Verdict.WOULD_IMPORT, null, null,
                expiry, null, null, null);
    }

    /** A listing of a resource that holds {@code projects} projects. */
    static TargetCheck.Listed listed(int projects) {
        return new TargetCheck.Listed(java.util.stream.IntStream.range(0, projects).mapToObj(i -> "project-" + i)
                .collect(java.util.stream.Collectors.toSet()));
    }

    static List<Verdict> verdicts(CapacityPlan.Result result) {
        return result.rows().stream().map(PlannedRow::verdict).toList();
    }

    @Test
    void rowsPastTheLimitAreFlaggedInInputOrderPerResource() {
        List<PlannedRow> rows = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rows.add(row(i, i % 2 == 0 ? "b" : "a", i % 2 == 0 ? "B" : "A", null));
        }
        CapacityPlan.Result result = CapacityPlan.plan(rows,
                Map.of("a", listed(1), "b", listed(0)),
                Map.of("A", new CapacityPlan.Budget(2, 10), "B", new CapacityPlan.Budget(2, 10)), NOW,
                Duration.ofSeconds(30));

        // A (rows 1, 3, 5) holds one project: room for one more. B (rows 2, 4) has room for both.
        assertThat(verdicts(result)).containsExactly(Verdict.WOULD_IMPORT, Verdict.WOULD_IMPORT,
                Verdict.WOULD_EXCEED_LIMIT, Verdict.WOULD_IMPORT, Verdict.WOULD_EXCEED_LIMIT);
        assertThat(result.rows().get(2).code()).isEqualTo("BadRequestExceedProjectLimit");
        CapacityPlan.ResourceLine a = result.resources().get(0);
        assertThat(a.resource()).isEqualTo("A");
        assertThat(a.imports()).isEqualTo(1);
        assertThat(a.capacityLeft()).isZero();
        assertThat(a.sends()).isEqualTo(3);
        assertThat(a.estimate()).isEqualTo(Duration.ofMillis(300).plusSeconds(30));
        assertThat(result.resources().get(1).capacityLeft()).isZero();
    }

    @Test
    void aTokenExpiringBeforeItsTurnIsFlaggedAndTakesNoCapacity() {
        // At 1 call/s the third send leaves 2 s after the start.
        List<PlannedRow> rows = List.of(row(1, "a", "A", null), row(2, "a", "A", null),
                row(3, "a", "A", NOW.plusMillis(1500)), row(4, "a", "A", NOW.plusSeconds(60)));
        CapacityPlan.Result result = CapacityPlan.plan(rows, Map.of("a", listed(0)),
                Map.of("A", new CapacityPlan.Budget(3, 1)), NOW, Duration.ZERO);

        assertThat(verdicts(result)).containsExactly(Verdict.WOULD_IMPORT, Verdict.WOULD_IMPORT,
                Verdict.EXPIRES_BEFORE_SEND, Verdict.WOULD_IMPORT);
        assertThat(result.rows().get(2).estimatedSend()).isEqualTo(NOW.plusSeconds(2));
        assertThat(result.rows().get(3).estimatedSend()).isEqualTo(NOW.plusSeconds(3));
    }

    @Test
    void aRefusedKeyRejectsItsRowsOnlyAndAnUnansweredListingChecksNothing() {
        List<PlannedRow> rows = List.of(row(1, "old", "A", null), row(2, "new", "A", null), row(3, "c", "C", null),
                new PlannedRow(4, null, null, null, null, Verdict.INVALID, "InvalidRow", "empty key", null, null,
                        null, null));
        CapacityPlan.Result result = CapacityPlan.plan(rows,
                Map.of("old", new TargetCheck.Refused("401", "Access denied"), "new", listed(0),
                        "c", new TargetCheck.Unchecked("DNS")),
                Map.of("A", new CapacityPlan.Budget(100, 10), "C", new CapacityPlan.Budget(100, 10)), NOW,
                Duration.ZERO);

        assertThat(verdicts(result)).containsExactly(Verdict.WOULD_BE_REJECTED, Verdict.WOULD_IMPORT,
                Verdict.NOT_CHECKED, Verdict.INVALID);
        assertThat(result.rows().get(0).code()).isEqualTo("401");
        assertThat(result.resources().get(1).state()).isEqualTo("not checked");
        assertThat(result.resources().get(1).projectsNow()).isNull();
    }

    @Test
    void aSourceRowWhoseProjectItsSourceLacksIsRefusedAndTakesNoTurn() {
        List<PlannedRow> rows = List.of(
                new PlannedRow(1, "westus2", "a", "t1", "A", Verdict.WOULD_IMPORT, null, null, null, null, null,
                        new PlannedRow.SourceRef("s", "project-0")),
                new PlannedRow(2, "westus2", "a", "t2", "A", Verdict.WOULD_IMPORT, null, null, null, null, null,
                        new PlannedRow.SourceRef("s", "gone")),
                row(3, "a", "A", null));
        CapacityPlan.Result result = CapacityPlan.plan(rows, Map.of("a", listed(0), "s", listed(1)),
                Map.of("A", new CapacityPlan.Budget(100, 1)), NOW, Duration.ZERO);

        assertThat(verdicts(result)).containsExactly(Verdict.WOULD_IMPORT, Verdict.WOULD_BE_REJECTED,
                Verdict.WOULD_IMPORT);
        assertThat(result.rows().get(1).code()).isEqualTo("NotFoundProject");
        // Row 3 is the second send: the refused row took no turn.
        assertThat(result.rows().get(2).estimatedSend()).isEqualTo(NOW.plusSeconds(1));
        assertThat(result.resources().get(0).sends()).isEqualTo(2);
    }
}
