package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two targets are one resource once one lists a project the ledger recorded under the other. */
class ResourceLinksTest {

    private LedgerDatabase database;
    private ResourceLinks links;

    @BeforeEach
    void ledger() {
        database = new LedgerDatabase();
        links = database.resources();
    }

    private void imported(long rowNo, String target, String projectId) {
        database.ledger().insert(1, List.of(new LedgerRow(rowNo, RowStatus.SUCCEEDED, "westus2", target,
                "token-" + rowNo, projectId, null, null, null)));
    }

    @Test
    void aTargetLinkedToNoneIsItsOwnResource() {
        assertThat(links.resourceOf("t1")).isEqualTo("t1");
        assertThat(links.isLinked("t1")).isFalse();
        assertThat(links.learn("t1", List.of())).isEqualTo("t1");
    }

    @Test
    void aTargetListingAProjectRecordedUnderAnotherJoinsThatTargetsResource() {
        imported(1, "t1", "p-1");
        imported(2, "t3", "p-3");

        assertThat(links.learn("t2", List.of("p-1", "p-unknown"))).isEqualTo("t1");

        assertThat(links.resourceOf("t2")).isEqualTo("t1");
        assertThat(links.isLinked("t1")).isTrue();
        assertThat(links.isLinked("t2")).isTrue();
        assertThat(links.isLinked("t3")).isFalse();
    }

    @Test
    void aTargetListingItsOwnOrItsResourcesProjectsLinksNothingNew() {
        imported(1, "t1", "p-1");
        imported(2, "t2", "p-2");
        assertThat(links.learn("t1", List.of("p-1"))).as("its own project").isEqualTo("t1");
        assertThat(links.isLinked("t1")).isFalse();

        links.link("t2", "t1");
        assertThat(links.learn("t2", List.of("p-1", "p-2"))).isEqualTo("t1");
        assertThat(links.resourceOf("t2")).isEqualTo("t1");
    }

    @Test
    void aProjectFoundPastOneQuerysListStillLinks() {
        imported(1, "t1", "p-1");
        List<String> listed = new ArrayList<>(IntStream.range(0, 600).mapToObj(i -> "q-" + i).toList());
        listed.add("p-1");

        assertThat(links.learn("t2", listed)).isEqualTo("t1");
    }

    @Test
    void aLinkNamesTheOwnersResourceAndALinkAgainChangesNothing() {
        assertThat(links.link("t2", "t1")).isEqualTo("t1");
        assertThat(links.link("t2", "t1")).isEqualTo("t1");
        assertThat(links.link("t3", "t2")).as("t2's resource is t1's").isEqualTo("t1");
        assertThat(links.resourcesOf(List.of("t1", "t2", "t3", "t4", "t2")))
                .isEqualTo(Map.of("t1", "t1", "t2", "t1", "t3", "t1", "t4", "t4"));
        assertThat(links.resourcesOf(List.of())).isEmpty();
    }

    @Test
    void aLinkMovesTheNewcomersClaimsUnlessTheResourceHoldsTheSameToken() {
        database.jdbc().update("INSERT INTO import_claim VALUES ('a', 't2', 1, 1, 0), ('b', 't2', 1, 2, 0),"
                + " ('b', 't1', 1, 3, 0)");

        links.link("t2", "t1");

        assertThat(database.jdbc().queryForList("SELECT token_fp || '@' || resource_id FROM import_claim"
                + " ORDER BY row_no", String.class)).containsExactly("a@t1", "b@t2", "b@t1");
    }

    @Test
    void aResourceOfManyTargetsIsReadPastOneQuerysList() {
        links.link("t2", "t1");
        List<String> targets = new ArrayList<>(IntStream.range(0, 600).mapToObj(i -> "x" + i).toList());
        targets.add("t2");

        assertThat(links.resourcesOf(targets)).hasSize(601).containsEntry("t2", "t1").containsEntry("x599", "x599");
    }
}
