package io.cvimport.reopen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.Set;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowCursor;
import io.cvimport.input.RowIdentity;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.Outcome;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.imports.feed.TakenPairs;
import io.cvimport.imports.feed.UnusableInputException;
import io.cvimport.imports.ImportProperties;

/**
 * Gives finished rows a way out on the same command: a row REJECTED because the target
 * refused its key (401, 403) is sent again once its key names another target; rows REJECTED
 * with the codes of {@code --import.retry-rejected}, and IN_DOUBT rows with
 * {@code --import.resend-in-doubt=true}, are sent again; {@code --import.adopt=ROW:PROJECT_ID}
 * gives an IN_DOUBT row the project the operator chose, awaited like any import.
 * <p>
 * {@link #plan} says what a run would reopen, without changing anything; {@link #apply}
 * reopens, each row only from the state it was seen in.
 */
@Component
public class Reopening {

    private static final Logger log = LoggerFactory.getLogger(Reopening.class);
    /** The codes with which a target refuses a key (the gateway's 401 and 403). */
    private static final Set<String> KEY_REFUSED = Set.of("401", "403", "Http401", "Http403");
    private static final Set<RowStatus> CLOSED = EnumSet.of(RowStatus.REJECTED, RowStatus.IN_DOUBT);
    private static final int BATCH = 1000;
    private static final int ROWS_LOGGED = 20;

    static final String KEY_CHANGED = "refused key replaced";
    static final String RETRY_REJECTED = "--import.retry-rejected";
    static final String RESEND_IN_DOUBT = "--import.resend-in-doubt";
    static final String ADOPT = "--import.adopt";

    private final ClosedRows closed;
    private final ImportLedger ledger;
    private final RowJudge judge;
    private final ImportProperties properties;
    private final ReopenProperties options;
    private final ResourceLinks resources;

    public Reopening(ClosedRows closed, ImportLedger ledger, ResourceLinks resources, RowJudge judge,
            ImportProperties properties, ReopenProperties options) {
        this.closed = closed;
        this.ledger = ledger;
        this.resources = resources;
        this.judge = judge;
        this.properties = properties;
        this.options = options;
    }

    /** Rows that a run would reopen, per reason; empty when nothing has a way out. */
    public Map<String, Long> plan(long instance, Path input) {
        return scan(instance, input, null);
    }

    /**
     * Reopens what {@link #plan} finds, and says so.
     *
     * @param exists whether a project exists on a target, for an adoption outside the row's candidates
     */
    public Map<String, Long> apply(long instance, Path input, BiPredicate<TargetResource, String> exists) {
        Map<String, Long> reopened = scan(instance, input, exists);
        if (!reopened.isEmpty()) {
            log.info("reopened {}", describe(reopened));
        }
        return reopened;
    }

    /** Why the operator's adoptions cannot be taken, one line each; empty when they can. */
    public List<String> adoptionProblems(long instance) {
        List<String> problems = new ArrayList<>();
        options.adoptions().forEach((rowNo, project) -> {
            Optional<Outcome> row = closed.row(instance, rowNo);
            if (row.isEmpty()) {
                problems.add("--import.adopt=" + rowNo + ":" + project + ": the input has no row " + rowNo);
            }
            else if (project.equals(row.get().projectId())) {
                return;
            }
            else if (row.get().status() != RowStatus.IN_DOUBT) {
                problems.add("--import.adopt=" + rowNo + ":" + project + ": row " + rowNo + " is "
                        + row.get().status() + ", not IN_DOUBT");
            }
            else if (!ledger.claimed(List.of(project)).isEmpty()) {
                problems.add("--import.adopt=" + rowNo + ":" + project + ": project " + project
                        + " is already another row's project");
            }
        });
        return problems;
    }

    public static String describe(Map<String, Long> reasons) {
        long total = reasons.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder(total + (total == 1 ? " row" : " rows") + " (");
        reasons.forEach((reason, n) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ")
                .append(n).append(": ").append(reason));
        return text.append(')').toString();
    }

    /** One scan: a plan (no lookup, nothing written) or an application. */
    private record Scan(@Nullable BiPredicate<TargetResource, String> exists, List<String> refused, int[] logged) {
        boolean applying() {
            return exists != null;
        }
    }

    private Map<String, Long> scan(long instance, Path input, @Nullable BiPredicate<TargetResource, String> exists) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        if (!anythingToLookAt(instance)) {
            return reasons;
        }
        List<String> refused = new ArrayList<>();
        Scan scan = new Scan(exists, refused, new int[1]);
        try (RowCursor cursor = InputFile.open(input).rows()) {
            for (SortedMap<Long, InputRow> batch = cursor.nextBatch(BATCH); !batch.isEmpty();
                    batch = cursor.nextBatch(BATCH)) {
                for (Outcome outcome : closed.between(instance, batch.firstKey(), batch.lastKey(), CLOSED)) {
                    String reason = reopen(instance, outcome, batch.get(outcome.rowNo()), scan);
                    if (reason != null) {
                        reasons.merge(reason, 1L, Long::sum);
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new UnusableInputException(String.join("; ", refused));
        }
        return reasons;
    }

    private boolean anythingToLookAt(long instance) {
        boolean rejected = closed.rejectedCodes(instance).keySet().stream()
                .anyMatch(code -> KEY_REFUSED.contains(code) || options.retries(code));
        boolean inDoubt = (properties.resendInDoubt() || !options.adoptions().isEmpty())
                && ledger.count(instance, List.of(RowStatus.IN_DOUBT)) > 0;
        return rejected || inDoubt;
    }

    /** The reason the row is (or would be) reopened, or null when it stays as it is. */
    private @Nullable String reopen(long instance, Outcome row, @Nullable InputRow input, Scan scan) {
        if (input == null || !RowIdentity.of(input).equals(row.tokenFp())) {
            return null;
        }
        Optional<TargetResource> target = judge.target(input);
        if (row.status() == RowStatus.IN_DOUBT) {
            String project = options.adoptions().get(row.rowNo());
            if (project != null) {
                return adopt(instance, row, project, target, scan);
            }
            return properties.resendInDoubt() && target.isPresent()
                    && reopen(instance, row, null, "IN_DOUBT, sent again on purpose (" + RESEND_IN_DOUBT + "=true)",
                            scan)
                            ? RESEND_IN_DOUBT : null;
        }
        String code = String.valueOf(row.errorCode());
        String newTarget = target.map(TargetResource::fingerprint).filter(fp -> !fp.equals(row.targetFp()))
                .orElse(null);
        if (KEY_REFUSED.contains(code) && newTarget != null) {
            return reopenForNewKey(instance, row, newTarget, scan) ? KEY_CHANGED : null;
        }
        if (options.retries(code) && target.isPresent()) {
            return reopen(instance, row, null, "REJECTED " + code + ", sent again (" + RETRY_REJECTED + ")", scan)
                    ? RETRY_REJECTED : null;
        }
        return null;
    }

    /** The key the target refused was replaced: the row now names the new target, unless that pair is taken. */
    private boolean reopenForNewKey(long instance, Outcome row, String newTarget, Scan scan) {
        String why = "REJECTED " + row.errorCode() + " (key refused by target " + row.targetFp()
                + "); its key now names target " + newTarget;
        if (!scan.applying()) {
            return true;
        }
        if (new TakenPairs(ledger, resources, closed, properties.reimport()).closeIfTaken(instance, row.rowNo(),
                RowStatus.REJECTED, String.valueOf(row.tokenFp()), newTarget, why)) {
            logRow(scan, row.rowNo(), why + ", and another row holds that token for that target");
            return true;
        }
        return reopen(instance, row, newTarget, why, scan);
    }

    private @Nullable String adopt(long instance, Outcome row, String project, Optional<TargetResource> target,
            Scan scan) {
        boolean candidate = row.candidates() != null && List.of(row.candidates().split(" ")).contains(project);
        BiPredicate<TargetResource, String> exists = scan.exists();
        if (exists != null && !candidate) {
            if (target.isEmpty() || !exists.test(target.get(), project)) {
                scan.refused().add("--import.adopt=" + row.rowNo() + ":" + project + ": project " + project
                        + " is neither a candidate of row " + row.rowNo() + " nor a project of its target");
                return null;
            }
        }
        if (exists == null) {
            return ADOPT;
        }
        String why = "project " + project + " adopted by the operator (" + ADOPT + ")"
                + (candidate ? ", one of the row's candidates" : ", found on the target, claimed by no row");
        if (!closed.adopt(instance, row.rowNo(), project, why)) {
            return null;
        }
        logRow(scan, row.rowNo(), why);
        return ADOPT;
    }

    private boolean reopen(long instance, Outcome row, @Nullable String newTarget, String why, Scan scan) {
        if (!scan.applying()) {
            return true;
        }
        boolean reopened = closed.reopen(instance, row.rowNo(), row.status(), newTarget, "reopened: " + why);
        if (reopened) {
            logRow(scan, row.rowNo(), why);
        }
        return reopened;
    }

    private static void logRow(Scan scan, long rowNo, String why) {
        if (scan.logged()[0]++ < ROWS_LOGGED) {
            log.info("row {} reopened: {}", rowNo, why);
        }
    }
}
