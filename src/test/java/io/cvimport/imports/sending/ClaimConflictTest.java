package io.cvimport.imports.sending;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.RowStatus;

class ClaimConflictTest {

    private static final long THIS_RUN = 7;

    private static ClaimConflict of(long holderInstance, RowStatus status, boolean reimport) {
        return ClaimConflict.of(new ClaimHolder(holderInstance, 3, status, "p"), THIS_RUN, reimport);
    }

    @Test
    void onlyASucceededProjectMakesARowAlreadyImported() {
        assertThat(of(1, RowStatus.SUCCEEDED, false)).isEqualTo(ClaimConflict.ALREADY_IMPORTED);
        assertThat(of(1, RowStatus.SUBMITTING, false)).isEqualTo(ClaimConflict.WAIT);
        assertThat(of(1, RowStatus.IMPORTING, false)).isEqualTo(ClaimConflict.WAIT);
        assertThat(of(1, RowStatus.TIMED_OUT, false)).isEqualTo(ClaimConflict.WAIT);
        assertThat(of(1, RowStatus.IN_DOUBT, false)).isEqualTo(ClaimConflict.IN_DOUBT);
    }

    @Test
    void aClaimWhoseHolderShowsNoImportIsStale() {
        for (RowStatus status : new RowStatus[] { RowStatus.REJECTED, RowStatus.INVALID }) {
            assertThat(of(1, status, false)).as(status.name()).isEqualTo(ClaimConflict.SEND_AGAIN);
        }
    }

    @Test
    void aFailedHolderKeptItsClaimOnlyForAProjectGivenUpAsStuckWhichMayStillSucceed() {
        assertThat(of(1, RowStatus.FAILED, false)).isEqualTo(ClaimConflict.STUCK);
        assertThat(of(1, RowStatus.FAILED, true)).isEqualTo(ClaimConflict.SEND_AGAIN);
    }

    @Test
    void aPendingHolderIsAnInDoubtRowReopenedToBeSentAgainAndIsWaitedFor() {
        // Its earlier import may exist: deleting its claim could let two imports of the token race.
        assertThat(of(1, RowStatus.PENDING, false)).isEqualTo(ClaimConflict.WAIT);
    }

    @Test
    void anEarlierRowOfTheSameRunIsADuplicateWhateverItsState() {
        assertThat(of(THIS_RUN, RowStatus.SUBMITTING, false)).isEqualTo(ClaimConflict.DUPLICATE);
        assertThat(of(THIS_RUN, RowStatus.SUCCEEDED, true)).isEqualTo(ClaimConflict.DUPLICATE);
    }

    @Test
    void reimportTakesOverOnlyFinishedImports() {
        assertThat(of(1, RowStatus.SUCCEEDED, true)).isEqualTo(ClaimConflict.SEND_AGAIN);
        assertThat(of(1, RowStatus.IN_DOUBT, true)).isEqualTo(ClaimConflict.SEND_AGAIN);
        assertThat(of(1, RowStatus.IMPORTING, true)).isEqualTo(ClaimConflict.WAIT);
    }
}
