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
 * input (DUPLICATE) and with earlier runs (ALREADY_IMPORTED), by token and target
 * resource as far as the resources are known, then writes the whole chunk with one batch,
 * in the chunk's transaction. What only the service can tell (a target not linked yet, an
 * earlier import still on its way) is decided by the claims when the row is sent.
 */
public class LedgerWriter implements ItemWriter<LedgerRow> {

    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final long instance;
    private final boolean reimport;

    /**
     * @param reimport import again tokens that an earlier run already imported (on purpose)
     */
    public LedgerWriter(ImportLedger ledger, ResourceLinks resources, long instance, boolean reimport) {
        this.ledger = ledger;
        this.resources = resources;
        this.instance = instance;
        this.reimport = reimport;
    }

    @Override
    public void write(Chunk<? extends LedgerRow> chunk) {
        List<String> targets = new ArrayList<>();
        for (LedgerRow row : chunk) {
            if (comparable(row)) {
                targets.add(String.valueOf(row.targetFp()));
            }
        }
        Map<String, String> resourceOf = targets.isEmpty() ? Map.of() : resources.resourcesOf(targets);
        List<TokenTarget> pairs = new ArrayList<>();
        for (LedgerRow row : chunk) {
            if (comparable(row)) {
                pairs.add(pair(row, resourceOf));
            }
        }
        Map<TokenTarget, Long> seen = new HashMap<>(pairs.isEmpty() ? Map.of() : ledger.firstRows(instance, pairs));
        Map<TokenTarget, Outcome> elsewhere = pairs.isEmpty() || reimport ? Map.of()
                : ledger.succeededElsewhere(instance, pairs);
        List<LedgerRow> rows = new ArrayList<>(chunk.size());
        for (LedgerRow row : chunk) {
            rows.add(comparable(row) ? compared(row, pair(row, resourceOf), seen, elsewhere) : row);
        }
        ledger.insert(instance, rows);
    }

    /** A PENDING row whose target is not known yet (its key variable is unset) is compared when it is. */
    private static boolean comparable(LedgerRow row) {
        return row.status() == RowStatus.PENDING && row.targetFp() != null;
    }

    /** The row's token and its target's resource. */
    private static TokenTarget pair(LedgerRow row, Map<String, String> resourceOf) {
        String target = String.valueOf(row.targetFp());
        return new TokenTarget(String.valueOf(row.tokenFp()), resourceOf.getOrDefault(target, target));
    }

    /**
     * The row as this input's earlier rows ({@code seen}, updated) and earlier runs' imports
     * ({@code elsewhere}) leave it: DUPLICATE, ALREADY_IMPORTED, or as it was. The plan judges
     * with the same rule.
     */
    public static LedgerRow compared(LedgerRow row, TokenTarget pair, Map<TokenTarget, Long> seen,
            Map<TokenTarget, Outcome> elsewhere) {
        Long first = seen.putIfAbsent(pair, row.rowNo());
        TakenPair taken = TakenPair.of(row.rowNo(), first, elsewhere.get(pair), row.sourceProject() != null);
        return taken == null ? row : with(row, taken.status(), taken.projectId(), taken.code(), taken.message());
    }

    private static LedgerRow with(LedgerRow row, RowStatus status, @Nullable String projectId, String code,
            String message) {
        return new LedgerRow(row.rowNo(), status, row.region(), row.targetFp(), row.tokenFp(), projectId, code, message,
                row.extras(), row.inputOffset(), row.sourceRegion(), row.sourceProject());
    }
}
