package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlProvider;

/**
 * Taking over a stale send slot: the holder, still alive, renews its slot between the taker's
 * read of it (stale) and the taker's delete. The taker must then find the slot busy, not
 * delete the renewed slot and take it: two imports of unknown outcome on one resource would
 * leave the project list unable to tell which import made which project.
 */
class SlotTakeoverRaceTest {

    private static final long LEASE = 10_000;

    /** A JdbcTemplate that runs {@code meanwhile} once, right after the read of a slot's holder. */
    private static final class RenewedAfterTheRead extends JdbcTemplate {
        private @Nullable Runnable meanwhile;

        RenewedAfterTheRead(JdbcTemplate jdbc) {
            super(jdbc.getDataSource());
        }

        @Override
        public <T> List<T> query(PreparedStatementCreator creator, RowMapper<T> mapper) {
            List<T> read = super.query(creator, mapper);
            Runnable once = meanwhile;
            if (once != null && creator instanceof SqlProvider sql && sql.getSql() != null
                    && sql.getSql().contains("FROM import_slot s LEFT JOIN import_ledger")) {
                meanwhile = null;
                once.run();
            }
            return read;
        }
    }

    @Test
    void aHolderThatRenewsBetweenTheReadAndTheDeleteKeepsItsSlot() {
        LedgerDatabase database = new LedgerDatabase();
        for (long row = 1; row <= 2; row++) {
            database.ledger().insert(1, List.of(new LedgerRow(row, RowStatus.PENDING, "westus2", "t1", "token-" + row,
                    null, null, null, null)));
        }
        assertThat(database.ledger().markSubmitting(1, 1, 1_000, false, LEASE).mayBeSent()).isTrue();

        RenewedAfterTheRead jdbc = new RenewedAfterTheRead(database.jdbc());
        ImportSlots slots = new ImportSlots(jdbc);
        // The holder's lease has run out by the taker's clock; the holder renews it meanwhile.
        long takerNow = 1_000 + LEASE + 5;
        jdbc.meanwhile = () -> new ImportSlots(database.jdbc()).renew(1, 1, takerNow - 1);

        assertThat(slots.take(1, 2, takerNow, LEASE)).as("the slot is busy: its holder renewed it").isFalse();
        assertThat(database.jdbc().queryForList("SELECT row_no || ' ' || taken_at FROM import_slot", String.class))
                .containsExactly("1 " + (takerNow - 1));
    }
}
