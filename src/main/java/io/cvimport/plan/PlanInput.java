package io.cvimport.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.SasExpiry;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.LedgerWriter;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.TokenTarget;

/**
 * Every row of the input judged as the load step judges it ({@link RowJudge}, then
 * {@link LedgerWriter#compared}), without writing the ledger: this input's earlier rows are
 * remembered in memory instead, and every job instance counts as an earlier run. Rows that
 * the input's own last run settled or sent are not judged again: a run would leave them as
 * they are, or await their projects ({@link EarlierOutcomes}).
 */
final class PlanInput {

    /** No job instance has this id: the plan compares with all of them. */
    private static final long NO_INSTANCE = -1;
    private static final int BATCH = 1000;

    /** What an earlier run of the input left of a row: anything but a row still to send. */
    private static final Set<RowStatus> LEFT_BY_A_RUN = EnumSet.complementOf(EnumSet.of(RowStatus.PENDING,
            RowStatus.EXPANDED));

    private final RowJudge judge;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final ClosedRows closed;
    private final boolean reimport;
    private final EarlierOutcomes.Reopen reopen;
    /** The ledger of the input's last run, when it ran: its rows' outcomes are what a run would give them. */
    private final @Nullable Long earlier;

    PlanInput(RowJudge judge, ImportLedger ledger, ResourceLinks resources, ClosedRows closed, boolean reimport,
            EarlierOutcomes.Reopen reopen, @Nullable Long earlier) {
        this.reopen = reopen;
        this.judge = judge;
        this.ledger = ledger;
        this.resources = resources;
        this.closed = closed;
        this.reimport = reimport;
        this.earlier = earlier;
    }

    /**
     * @param rows    every row, in input order
     * @param targets the target of each fingerprint that rows would send to, in order of first use
     * @param sources the source resource of each fingerprint that source rows would export from
     */
    record Judged(List<PlannedRow> rows, Map<String, TargetResource> targets, Map<String, TargetResource> sources) {
    }

    Judged judge(Path input) {
        List<PlannedRow> planned = new ArrayList<>();
        Map<String, TargetResource> targets = new LinkedHashMap<>();
        Map<String, TargetResource> sources = new LinkedHashMap<>();
        Map<TokenTarget, Long> seen = new HashMap<>();
        try (RowCursor cursor = InputFile.open(input).rows()) {
            for (SortedMap<Long, InputRow> batch = cursor.nextBatch(BATCH); !batch.isEmpty();
                    batch = cursor.nextBatch(BATCH)) {
                Map<Long, Outcome> left = leftByEarlierRun(batch);
                List<LedgerRow> judged = new ArrayList<>(batch.size());
                for (InputRow row : batch.values()) {
                    if (left.containsKey(row.number())) {
                        continue;
                    }
                    LedgerRow ledgerRow = judge.process(row);
                    judged.add(ledgerRow);
                    if (sendable(ledgerRow) || ledgerRow.status() == RowStatus.EXPANDED) {
                        judge.target(row).ifPresent(target -> targets.putIfAbsent(target.fingerprint(), target));
                        judge.sourceResource(row).ifPresent(source -> sources.putIfAbsent(source.fingerprint(),
                                source));
                    }
                }
                planned.addAll(EarlierOutcomes.merge(compare(judged, batch, seen), left, reopen));
            }
        }
        return new Judged(planned, targets, sources);
    }

    private Map<Long, Outcome> leftByEarlierRun(SortedMap<Long, InputRow> batch) {
        Long instance = earlier;
        if (instance == null) {
            return Map.of();
        }
        Map<Long, Outcome> left = new HashMap<>();
        for (Outcome outcome : closed.between(instance, batch.firstKey(), batch.lastKey(), LEFT_BY_A_RUN)) {
            if (!reopen.sendsAgain(outcome)) {
                left.put(outcome.rowNo(), outcome);
            }
        }
        return left;
    }

    private List<PlannedRow> compare(List<LedgerRow> judged, SortedMap<Long, InputRow> batch,
            Map<TokenTarget, Long> seen) {
        List<String> targetFps = judged.stream().filter(PlanInput::sendable).map(LedgerRow::targetFp)
                .map(String::valueOf).toList();
        Map<String, String> resourceOf = targetFps.isEmpty() ? Map.of() : resources.resourcesOf(targetFps);
        List<TokenTarget> pairs = judged.stream().filter(PlanInput::sendable)
                .map(row -> pair(row, resourceOf)).toList();
        Map<TokenTarget, Outcome> elsewhere = pairs.isEmpty() || reimport ? Map.of()
                : ledger.succeededElsewhere(NO_INSTANCE, pairs);
        List<PlannedRow> planned = new ArrayList<>(judged.size());
        for (LedgerRow row : judged) {
            LedgerRow compared = sendable(row) ? LedgerWriter.compared(row, pair(row, resourceOf), seen, elsewhere)
                    : row;
            String targetFp = row.targetFp();
            String resource = targetFp == null ? null : resourceOf.getOrDefault(targetFp, targetFp);
            // Every judged row was judged from this batch.
            InputRow input = Objects.requireNonNull(batch.get(row.rowNo()));
            planned.add(planned(compared, resource, input, judge.source(input)
                    .map(source -> new PlannedRow.SourceRef(source.resource().fingerprint(), source.projectId()))
                    .orElse(null)));
        }
        return planned;
    }

    /** A row that a run would send, or compare with others, once its target is known. */
    private static boolean sendable(LedgerRow row) {
        return row.status() == RowStatus.PENDING && row.targetFp() != null;
    }

    private static TokenTarget pair(LedgerRow row, Map<String, String> resourceOf) {
        String target = String.valueOf(row.targetFp());
        return new TokenTarget(String.valueOf(row.tokenFp()), resourceOf.getOrDefault(target, target));
    }

    private static PlannedRow planned(LedgerRow row, @Nullable String resource, InputRow input,
            PlannedRow.@Nullable SourceRef source) {
        Verdict verdict = switch (row.status()) {
            case INVALID -> Verdict.INVALID;
            case REJECTED -> Verdict.EXPIRED;
            case DUPLICATE -> Verdict.DUPLICATE;
            case ALREADY_IMPORTED -> Verdict.ALREADY_IMPORTED;
            case EXPANDED -> Verdict.EXPANDED;
            default -> row.targetFp() == null ? Verdict.KEY_NOT_SET : Verdict.WOULD_IMPORT;
        };
        String reason = row.status() == RowStatus.ALREADY_IMPORTED
                ? row.message() + ": project " + row.projectId() : row.message();
        return new PlannedRow(row.rowNo(), row.region(), row.targetFp(), row.tokenFp(), resource, verdict,
                verdict == Verdict.KEY_NOT_SET ? "KeyNotSet" : row.errorCode(), reason,
                input.token().isEmpty() ? null : SasExpiry.of(input.token()), null, row.extras(), source);
    }
}
