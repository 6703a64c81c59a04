package io.cvimport.plan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputFile;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.reopen.ReopenProperties;
import io.cvimport.imports.ImportProperties;

/**
 * {@code --plan}: what a run of the input would do, row by row, without doing it.
 * <p>
 * A command beside the job, not a Spring Batch job of its own: a plan has nothing to resume
 * and nothing to record, so it creates no job instance or execution ({@code --status} shows
 * runs only, never plans), takes no run lock (a plan may run while a run of the same input is
 * in progress) and writes no ledger row that a run could take for done. It only reads the
 * repository (earlier runs' imports, which targets are one resource) and lists each target
 * resource's projects once.
 * <p>
 * Source-project rows: {@link PlanInput} gives such a row its source resource beside its
 * target, {@link ResourceListings} lists the source resources too (one listing each, the same
 * way), and {@link CapacityPlan} refuses a row whose project is missing from its source's
 * listing (NotFoundProject, as its export would answer) before it counts against the target's
 * capacity. Rows the input's last run settled or sent get what a run would give them
 * ({@link EarlierOutcomes}).
 */
public final class PlanCommand {

    private static final Logger log = LoggerFactory.getLogger(PlanCommand.class);
    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final RowJudge judge;
    private final ImportLedger ledger;
    private final ResourceLinks resources;
    private final ClosedRows closed;
    private final ReopenProperties reopen;
    private final CustomVisionClient client;
    private final ImportProperties imports;
    private final PlanProperties properties;
    private final Clock clock;

    PlanCommand(RowJudge judge, ImportLedger ledger, ResourceLinks resources, ClosedRows closed,
            ReopenProperties reopen, CustomVisionClient client, ImportProperties imports, PlanProperties properties,
            Clock clock) {
        this.reopen = reopen;
        this.judge = judge;
        this.ledger = ledger;
        this.resources = resources;
        this.closed = closed;
        this.client = client;
        this.imports = imports;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Plans the input, prints the summary (or the JSON document) and writes the plan report.
     *
     * @param reportOption {@code --report}, when given
     * @param json         {@code --format=json}: the whole plan as one JSON document
     * @param earlier      the ledger of the input's last run, when it ran: a run leaves what that one settled
     * @return the exit code: 0 when every row would go through, 3 when some would not
     */
    public int run(PrintStream out, InputFile input, @Nullable String reportOption, boolean json,
            @Nullable Long earlier) throws InterruptedException {
        long started = System.nanoTime();
        PlanInput.Judged judged = new PlanInput(judge, ledger, resources, closed, imports.reimport(),
                new EarlierOutcomes.Reopen(reopen, imports.resendInDoubt()), earlier)
                .judge(input.path());
        Map<String, CapacityPlan.Budget> budgets = new LinkedHashMap<>();
        List<ResourceListings.Resource> toList = toList(judged, budgets);
        ResourceListings listings = new ResourceListings(client, imports.concurrency(), imports.maxAttempts(),
                imports.maxRetryAfter());
        long judgedAt = System.nanoTime();
        Map<String, TargetCheck> checks = listings.list(toList);
        log.info("{} rows judged in {} ms; {} resources listed in {} ms", judged.rows().size(),
                (judgedAt - started) / 1_000_000, toList.size(), (System.nanoTime() - judgedAt) / 1_000_000);
        List<PlannedRow> rows = WholeResourcePlan.expand(judged.rows(), checks, judged.sources(),
                pairs -> imports.reimport() ? Map.of() : ledger.succeededElsewhere(-1, pairs));
        CapacityPlan.Result plan = CapacityPlan.plan(rows, checks, budgets, clock.instant(),
                properties.importTime());
        Path report = reportPath(input.path(), reportOption, clock.instant());
        PlanReport.write(report, plan.rows(), input.extraColumns());
        int exitCode = plan.rows().stream().allMatch(row -> row.verdict().goesThrough()) ? 0 : 3;
        log.info("plan of {} rows written to {}", plan.rows().size(), report);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (json) {
            PlanAnswer.of(input.path(), plan, report, listings.calls(), took, exitCode).print(out);
        }
        else {
            PlanSummary.print(out, input.path(), plan, report, listings.calls(), took, exitCode);
        }
        return exitCode;
    }

    /**
     * The resources to list, once each: every target resource that rows would be sent to
     * (its budget put in {@code budgets}), then every source resource that is not a target too.
     */
    private List<ResourceListings.Resource> toList(PlanInput.Judged judged, Map<String, CapacityPlan.Budget> budgets) {
        Map<String, List<TargetResource>> targetsOf = new LinkedHashMap<>();
        for (PlannedRow row : judged.rows()) {
            String targetFp = row.targetFp();
            String resource = row.resource();
            TargetResource target = targetFp == null ? null : judged.targets().get(targetFp);
            boolean sends = row.verdict() == Verdict.WOULD_IMPORT || row.verdict() == Verdict.EXPANDED;
            if (sends && target != null && resource != null) {
                List<TargetResource> targets = targetsOf.computeIfAbsent(resource, r -> new ArrayList<>());
                if (!targets.contains(target)) {
                    targets.add(target);
                }
            }
        }
        List<ResourceListings.Resource> toList = new ArrayList<>();
        targetsOf.forEach((resource, targets) -> {
            // A resource is worked at the rate of the first of its targets, as a run's lane is.
            TargetResource first = targets.get(0);
            double rate = rate(first);
            budgets.put(resource, new CapacityPlan.Budget(properties.projectLimitFor(first.region().apiName(),
                    first.fingerprint()), rate));
            toList.add(new ResourceListings.Resource(resource, targets, rate));
        });
        judged.sources().forEach((fingerprint, source) -> {
            if (!judged.targets().containsKey(fingerprint)) {
                toList.add(new ResourceListings.Resource(fingerprint, List.of(source), rate(source)));
            }
        });
        return toList;
    }

    private double rate(TargetResource resource) {
        return imports.rates().getOrDefault(resource.fingerprint(),
                imports.rates().getOrDefault(resource.region().apiName(), imports.ratePerTarget()));
    }

    static Path reportPath(Path input, @Nullable String option, Instant now) {
        if (option != null && !option.isBlank()) {
            return Path.of(option).toAbsolutePath();
        }
        String name = input.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return Path.of("reports", name + "-plan-" + REPORT_TIME.format(now) + ".csv").toAbsolutePath();
    }
}
