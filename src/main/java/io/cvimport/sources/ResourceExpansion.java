package io.cvimport.sources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.ApiResult;
import io.cvimport.customvision.CustomVisionApi;
import io.cvimport.customvision.Failure;
import io.cvimport.customvision.PacedListing;
import io.cvimport.customvision.Project;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.InputRow;
import io.cvimport.input.RecordAt;
import io.cvimport.input.RowIdentity;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.LedgerWriter;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.TokenTarget;
import io.cvimport.plan.PlanProperties;
import io.cvimport.imports.ImportProperties;

/**
 * Lists each whole source resource of an input once and gives every project it holds that
 * has no row yet a row of its own: PENDING, or DUPLICATE and ALREADY_IMPORTED as the load
 * step would judge a row naming that project, or REJECTED up front when its target's project
 * limit leaves it no room. Projects keep their places across runs (new ones come after), so
 * listing again, on a restart or a later pass, only adds the projects made since.
 */
public final class ResourceExpansion {

    private static final Logger log = LoggerFactory.getLogger(ResourceExpansion.class);
    static final String LIMIT_CODE = "BadRequestExceedProjectLimit";

    private final ExpandedRows rows;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final RowJudge judge;
    private final PacedListing listings;
    private final ImportProperties properties;
    private final PlanProperties limits;

    public ResourceExpansion(ExpandedRows rows, ImportLedger ledger, ResourceLinks resources, RowJudge judge,
            CustomVisionApi client, ImportProperties properties, PlanProperties limits) {
        this.rows = rows;
        this.ledger = ledger;
        this.resources = resources;
        this.judge = judge;
        this.properties = properties;
        this.limits = limits;
        this.listings = new PacedListing(client, properties.maxAttempts(), properties.maxRetryAfter());
    }

    /** What one expansion found: the whole source resources listed and the projects given rows in it. */
    public record Result(int resources, int projects, int newProjects, int refusedForLimit) {

        Result plus(Result other) {
            return new Result(resources + other.resources, projects + other.projects,
                    newProjects + other.newProjects, refusedForLimit + other.refusedForLimit);
        }
    }

    /**
     * Expands every whole source resource of the instance.
     *
     * @throws SourceUnlistedException when a source's listing failed short of a refusal (a re-run resumes)
     */
    public Result expand(long instance, Path input) throws InterruptedException {
        RecordAt records = new RecordAt(InputFile.open(input));
        Result total = new Result(0, 0, 0, 0);
        for (ExpandedRows.Parent parent : rows.parents(instance)) {
            InputRow row = records.read(parent.inputOffset(), parent.rowNo());
            TargetResource source = row == null ? null : judge.sourceResource(row).orElse(null);
            if (row == null || source == null || !source.fingerprint().equals(parent.sourceFp())) {
                throw new IllegalStateException("row " + parent.rowNo() + " of the input is no longer the row the"
                        + " ledger recorded: its source resource changed");
            }
            total = total.plus(expand(instance, parent, row, source));
        }
        return total;
    }

    private Result expand(long instance, ExpandedRows.Parent parent, InputRow row, TargetResource source)
            throws InterruptedException {
        PacedListing.Listing listing = listings.list(source, properties.rateFor(source.region().apiName(),
                source.fingerprint()));
        if (!(listing.result() instanceof ApiResult.Ok<List<Project>> ok)) {
            ApiResult.Failed<List<Project>> failed = (ApiResult.Failed<List<Project>>) listing.result();
            if (failed.failure() != Failure.TERMINAL) {
                throw new SourceUnlistedException("the project list of source resource " + source.fingerprint()
                        + " (row " + parent.rowNo() + ") failed " + listing.attempts() + " times ("
                        + failed.error().code() + "); re-run the same command to carry on");
            }
            rows.refused(instance, parent.rowNo(), failed.error().code(), "GetProjects on the source refused: "
                    + failed.error().message());
            return new Result(1, 0, 0, 0);
        }
        List<Project> projects = PacedListing.inPlaceOrder(ok.value());
        Map<String, Integer> places = rows.places(instance, parent.rowNo());
        List<ExpandedRows.Child> children = new ArrayList<>();
        long next = rows.nextRowNo(instance);
        int place = places.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Project project : projects) {
            String id = project.id().toLowerCase(Locale.ROOT);
            if (!places.containsKey(id)) {
                InputRow one = row.forProject(id);
                children.add(new ExpandedRows.Child(new LedgerRow(next++, RowStatus.PENDING, parent.region(),
                        parent.targetFp(), RowIdentity.of(one), null, null, null, parent.extras(),
                        parent.inputOffset(), source.region().apiName(), id), ++place));
            }
        }
        List<ExpandedRows.Child> judged = limited(instance, compared(instance, children), row);
        int refused = (int) judged.stream().filter(c -> LIMIT_CODE.equals(c.row().errorCode())).count();
        String message = describe(source, projects.size(), place, children.size(), refused);
        rows.expanded(instance, parent, judged, message);
        log.info("row {}: source resource {} holds {} projects, {} new", parent.rowNo(), source.fingerprint(),
                projects.size(), children.size());
        return new Result(1, projects.size(), children.size(), refused);
    }

    private static String describe(TargetResource source, int projects, int places, int added, int refused) {
        return "every project of source resource " + source.fingerprint() + " (" + source.region().apiName() + "): "
                + (projects == 0 ? "none listed" : projects + (projects == 1 ? " project" : " projects"))
                + (places == 0 ? "" : ", each a row of its own (places 1 to " + places + " of this row)")
                + (added == 0 ? "" : "; " + added + " new in this run")
                + (refused == 0 ? "" : ", " + refused + " refused: past the target's project limit");
    }

    /** The new rows as the load step judges a row naming their project: DUPLICATE, ALREADY_IMPORTED or PENDING. */
    private List<ExpandedRows.Child> compared(long instance, List<ExpandedRows.Child> children) {
        if (children.isEmpty()) {
            return children;
        }
        String target = String.valueOf(children.get(0).row().targetFp());
        String resource = resources.resourceOf(target);
        List<TokenTarget> pairs = children.stream()
                .map(c -> new TokenTarget(String.valueOf(c.row().tokenFp()), resource)).toList();
        Map<TokenTarget, Long> seen = new HashMap<>(ledger.firstRows(instance, pairs));
        Map<TokenTarget, io.cvimport.ledger.Outcome> elsewhere = properties.reimport() ? Map.of()
                : ledger.succeededElsewhere(instance, pairs);
        List<ExpandedRows.Child> compared = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            ExpandedRows.Child child = children.get(i);
            compared.add(new ExpandedRows.Child(LedgerWriter.compared(child.row(), pairs.get(i), seen, elsewhere),
                    child.place()));
        }
        return compared;
    }

    /**
     * The new rows that would make a project, REJECTED past the room their target resource has
     * left: its project limit, less the projects it holds now and the rows still to import there.
     * When the target's listing does not answer, nothing is refused here (the service will).
     */
    private List<ExpandedRows.Child> limited(long instance, List<ExpandedRows.Child> children, InputRow row)
            throws InterruptedException {
        if (children.stream().noneMatch(c -> c.row().status() == RowStatus.PENDING)) {
            return children;
        }
        TargetResource target = Objects.requireNonNull(judge.target(row).orElse(null));
        String targetFp = String.valueOf(children.get(0).row().targetFp());
        PacedListing.Listing listing = listings.list(target, properties.rateFor(target.region().apiName(),
                target.fingerprint()));
        if (!(listing.result() instanceof ApiResult.Ok<List<Project>> ok)) {
            return children;
        }
        int limit = limits.projectLimitFor(target.region().apiName(), targetFp);
        int held = ok.value().size();
        int planned = rows.stillToImport(instance, resources.resourceOf(targetFp));
        int room = Math.max(0, limit - held - planned);
        List<ExpandedRows.Child> limited = new ArrayList<>(children.size());
        for (ExpandedRows.Child child : children) {
            if (child.row().status() != RowStatus.PENDING || room-- > 0) {
                limited.add(child);
                continue;
            }
            limited.add(new ExpandedRows.Child(refusedForLimit(child.row(), limit, held, planned), child.place()));
        }
        return limited;
    }

    private static LedgerRow refusedForLimit(LedgerRow row, int limit, int held, int planned) {
        return new LedgerRow(row.rowNo(), RowStatus.REJECTED, row.region(), row.targetFp(), row.tokenFp(), null,
                LIMIT_CODE, "refused before any import: the target resource holds " + held + " projects and "
                        + planned + " more are to be imported there; its limit is " + limit
                        + " (--import.project-limit), so this project would not fit",
                row.extras(), row.inputOffset(), row.sourceRegion(), row.sourceProject());
    }

    /** A source resource's listing failed short of a refusal: the step fails, and a re-run lists it again. */
    public static final class SourceUnlistedException extends RuntimeException {
        SourceUnlistedException(String message) {
            super(message);
        }
    }
}
