package io.cvimport.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cvimport.customvision.Region;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.RowIdentity;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.TokenTarget;

/** The plan of rows naming a whole source resource: expanded into a row per project, then the capacity plan. */
class WholeResourcePlanTest {

    static final TargetResource SOURCE = new TargetResource(Region.find("westeurope").orElseThrow(),
            URI.create("https://westeurope.api.cognitive.microsoft.com"), "0123456789abcdef0123456789abcdef");

    static PlannedRow whole(long rowNo) {
        return new PlannedRow(rowNo, "westus2", "t", SOURCE.fingerprint(), "T", Verdict.EXPANDED, null, null, null,
                null, "tenant", null);
    }

    @Test
    void eachProjectIsPlannedInItsPlaceJudgedLikeARowNamingItAndRefusedPastTheLimit() {
        List<String> projects = List.of("p1", "p2", "p3", "p4", "p5");
        PlannedRow named = new PlannedRow(1, "westus2", "t", RowIdentity.ofSourceProject("westeurope", "p2"), "T",
                Verdict.WOULD_IMPORT, null, null, null, null, null, null);
        String importedBefore = RowIdentity.ofSourceProject("westeurope", "p3");
        Map<String, TargetCheck> checks = Map.of(SOURCE.fingerprint(),
                new TargetCheck.Listed(Set.copyOf(projects), projects), "t", CapacityPlanTest.listed(1));

        List<PlannedRow> expanded = WholeResourcePlan.expand(List.of(named, whole(2)), checks,
                Map.of(SOURCE.fingerprint(), SOURCE), pairs -> pairs.stream()
                        .filter(p -> p.tokenFp().equals(importedBefore)).collect(java.util.stream.Collectors.toMap(
                                p -> p, p -> new Outcome(9, RowStatus.SUCCEEDED, null, null, null, "made", null, null,
                                        null, null, null))));
        CapacityPlan.Result plan = CapacityPlan.plan(expanded, checks, Map.of("T", new CapacityPlan.Budget(4, 10)),
                CapacityPlanTest.NOW, Duration.ofSeconds(30));

        // The target holds 1 of its 4: row 1 takes one place, p1 and p4 the others; p5 would not fit.
        assertThat(plan.rows()).extracting(r -> r.rowNo() + (r.place() == null ? "" : "." + r.place()) + " "
                + r.verdict()).containsExactly("1 WOULD_IMPORT", "2 EXPANDED", "2.1 WOULD_IMPORT", "2.2 DUPLICATE",
                        "2.3 ALREADY_IMPORTED", "2.4 WOULD_IMPORT", "2.5 WOULD_EXCEED_LIMIT");
        assertThat(plan.rows().get(1).reason()).isEqualTo("source resource " + SOURCE.fingerprint()
                + " (westeurope) holds 5 projects: each a row of its own, to target t (westus2)");
        assertThat(plan.rows().get(3).reason()).isEqualTo("same source project and target as row 1");
        assertThat(plan.rows().get(2).source()).isEqualTo(new PlannedRow.SourceRef(SOURCE.fingerprint(), "p1"));
        assertThat(plan.rows().get(2).extras()).isEqualTo("tenant");
    }

    @Test
    void aSourceThatRefusesOrDoesNotAnswerSaysSoOnTheRow() {
        List<PlannedRow> refused = WholeResourcePlan.expand(List.of(whole(1)), Map.of(SOURCE.fingerprint(),
                new TargetCheck.Refused("401", "Access denied")), Map.of(SOURCE.fingerprint(), SOURCE), p -> Map.of());
        List<PlannedRow> unchecked = WholeResourcePlan.expand(List.of(whole(1)), Map.of(SOURCE.fingerprint(),
                new TargetCheck.Unchecked("throttled")), Map.of(SOURCE.fingerprint(), SOURCE), p -> Map.of());

        assertThat(refused).extracting(PlannedRow::verdict).containsExactly(Verdict.WOULD_BE_REJECTED);
        assertThat(refused.get(0).reason()).contains("Access denied");
        assertThat(unchecked).extracting(PlannedRow::verdict).containsExactly(Verdict.NOT_CHECKED);
    }
}
