package io.cvimport.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * The load step's writer: compares a chunk's PENDING rows with earlier rows of this
 * input (DUPLICATE) and with earlier runs (ALREADY_IMPORTED), then writes the whole chunk
 * with one batch, in the chunk's transaction.
 */
public class LedgerWriter implements ItemWriter<LedgerRow> {

    private final ImportLedger ledger;
    private final long instance;
    private final boolean reimport;

    /**
     * @param reimport import again tokens that an earlier run already imported (on purpose)
     */
    public LedgerWriter(ImportLedger ledger, long instance, boolean reimport) {
        this.ledger = ledger;
        this.instance = instance;
        this.reimport = reimport;
    }

    @Override
    public void write(Chunk<? extends LedgerRow> chunk) {
        List<TokenTarget> pairs = new ArrayList<>();
        for (LedgerRow row : chunk) {
            if (comparable(row)) {
                pairs.add(new TokenTarget(row.tokenFp(), row.targetFp()));
            }
        }
        Map<TokenTarget, Long> seen = new HashMap<>(pairs.isEmpty() ? Map.of() : ledger.firstRows(instance, pairs));
        Map<TokenTarget, Outcome> elsewhere = pairs.isEmpty() || reimport ? Map.of()
                : ledger.heldElsewhere(instance, pairs);
        List<LedgerRow> rows = new ArrayList<>(chunk.size());
        for (LedgerRow row : chunk) {
            rows.add(comparable(row) ? compared(row, seen, elsewhere) : row);
        }
        ledger.insert(instance, rows);
    }

    /** A PENDING row whose target is not known yet (its key variable is unset) is compared when it is. */
    private static boolean comparable(LedgerRow row) {
        return row.status() == RowStatus.PENDING && row.targetFp() != null;
    }

    private LedgerRow compared(LedgerRow row, Map<TokenTarget, Long> seen, Map<TokenTarget, Outcome> elsewhere) {
        TokenTarget pair = new TokenTarget(row.tokenFp(), row.targetFp());
        Long first = seen.putIfAbsent(pair, row.rowNo());
        if (first != null && first < row.rowNo()) {
            return with(row, RowStatus.DUPLICATE, null, "Duplicate", "same token and target as row " + first);
        }
        Outcome earlier = elsewhere.get(pair);
        if (earlier != null) {
            String message = earlier.status() == RowStatus.SUCCEEDED ? "imported by an earlier run"
                    : "an earlier run's import of this token is " + earlier.status();
            return with(row, RowStatus.ALREADY_IMPORTED, earlier.projectId(), "AlreadyImported", message);
        }
        return row;
    }

    private static LedgerRow with(LedgerRow row, RowStatus status, @Nullable String projectId, String code,
            String message) {
        return new LedgerRow(row.rowNo(), status, row.region(), row.targetFp(), row.tokenFp(), projectId, code, message,
                row.extras());
    }
}
