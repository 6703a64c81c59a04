package io.cvimport.input;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.cvimport.customvision.Endpoints;
import io.cvimport.customvision.Region;
import io.cvimport.customvision.SasExpiry;
import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.RowStatus;

/**
 * Judges each row on its own, without a call: INVALID with its reason (also a row with both
 * a token and a source project, or neither), REJECTED for a token already past its expiry,
 * EXPANDED for a row naming a whole source resource, or PENDING (also when its key variable is unset: its
 * target is then learnt by the run that has the variable). Rows are compared with each other and
 * with earlier runs later, by the ledger writer.
 */
public class RowJudge implements ItemProcessor<InputRow, LedgerRow> {

    private final Endpoints endpoints;
    private final UnaryOperator<@Nullable String> environment;
    private final Clock clock;

    public RowJudge(Endpoints endpoints, UnaryOperator<@Nullable String> environment, Clock clock) {
        this.endpoints = endpoints;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public LedgerRow process(InputRow row) {
        LedgerRow judged = judged(row).at(row.offset());
        Optional<SourceProject> source = source(row);
        if (source.isPresent()) {
            return judged.from(source.get().resource().region().apiName(), source.get().projectId());
        }
        Optional<TargetResource> resource = sourceResource(row);
        return resource.isEmpty() || judged.status() != RowStatus.PENDING ? judged : wholeResource(judged,
                resource.get());
    }

    /**
     * A row naming every project of its source resource: EXPANDED, never sent itself; the
     * expansion step gives each project a row of its own. Its identity is its source
     * resource's fingerprint. Its target's key is needed to expand it, as its source key is.
     */
    private static LedgerRow wholeResource(LedgerRow judged, TargetResource source) {
        if (judged.targetFp() == null) {
            return new LedgerRow(judged.rowNo(), RowStatus.INVALID, judged.region(), null, null, null, "InvalidRow",
                    String.valueOf(judged.message()).replace(" is not set", " (key) is not set")
                            + ": a whole source resource is expanded with its target's key",
                    judged.extras(), judged.inputOffset());
        }
        return new LedgerRow(judged.rowNo(), RowStatus.EXPANDED, judged.region(), judged.targetFp(),
                source.fingerprint(), null, null, "every project of source resource " + source.fingerprint()
                        + ", listed before the imports", judged.extras(), judged.inputOffset())
                .from(source.region().apiName(), null);
    }

    private LedgerRow judged(InputRow row) {
        String extras = row.extras().isEmpty() ? null : CSVFormat.RFC4180.format(row.extras().toArray());
        if (row.problem() != null) {
            return invalid(row, null, row.problem(), extras);
        }
        Optional<Region> region = Region.find(row.region());
        boolean sourced = row.source().named();
        if (sourced && !row.token().isEmpty()) {
            return invalid(row, region.orElse(null), "both a token and a source project (one or the other)", extras);
        }
        if (!sourced && row.token().isEmpty()) {
            return invalid(row, region.orElse(null), "empty token", extras);
        }
        String sourceProblem = sourced ? sourceProblem(row.source()) : null;
        if (sourceProblem != null) {
            return invalid(row, region.orElse(null), sourceProblem, extras);
        }
        if (region.isEmpty()) {
            return invalid(row, null, row.region().isEmpty() ? "empty region" : "unknown region", extras);
        }
        Resolved key = resolveKey(row.key());
        if (key.problem() != null && row.key().startsWith("env:")) {
            // Not the row's fault: the row waits, target unknown, for a run with the variable set.
            return new LedgerRow(row.number(), RowStatus.PENDING, region.get().apiName(), null,
                    RowIdentity.of(row), null, null, key.problem(), extras);
        }
        if (key.problem() != null) {
            return invalid(row, region.get(), key.problem(), extras);
        }
        TargetResource target = new TargetResource(region.get(), endpoints.of(region.get()), key.value());
        String tokenFp = RowIdentity.of(row);
        Instant expiry = sourced ? null : SasExpiry.of(row.token());
        if (expiry != null && expiry.isBefore(clock.instant())) {
            return new LedgerRow(row.number(), RowStatus.REJECTED, region.get().apiName(), target.fingerprint(), tokenFp,
                    null, "TokenExpired", "the export token expired at " + expiry, extras);
        }
        return new LedgerRow(row.number(), RowStatus.PENDING, region.get().apiName(), target.fingerprint(), tokenFp,
                null, null, null, extras);
    }

    /**
     * The target of a row that {@link #process} found usable: the import step builds it
     * again from the input, since keys are never stored.
     */
    public Optional<TargetResource> target(InputRow row) {
        Optional<Region> region = Region.find(row.region());
        Resolved key = resolveKey(row.key());
        if (region.isEmpty() || key.problem() != null) {
            return Optional.empty();
        }
        return Optional.of(new TargetResource(region.get(), endpoints.of(region.get()), key.value()));
    }

    /**
     * What is wrong with a row's source project columns, or null: every column filled, a
     * region the job knows, a GUID, a key (its variable set: unlike the target's, the
     * source key is needed before anything is known of the row).
     */
    private @Nullable String sourceProblem(SourceColumns source) {
        if (source.region().isEmpty()) {
            return "empty sourceRegion";
        }
        if (Region.find(source.region()).isEmpty()) {
            return "unknown sourceRegion";
        }
        if (source.key().isEmpty()) {
            return "empty sourceKey";
        }
        Resolved key = resolveKey(source.key());
        if (key.problem() != null) {
            return key.problem().replace(" is not set", " (sourceKey) is not set");
        }
        if (source.wholeResource()) {
            return null;
        }
        return RowIdentity.isGuid(source.projectId()) ? null : "projectId is not a GUID";
    }

    /**
     * The source project of a row that {@link #process} found usable and that names one:
     * the import step exports it just before the import leaves.
     */
    public Optional<SourceProject> source(InputRow row) {
        if (row.source().wholeResource()) {
            return Optional.empty();
        }
        return sourceResource(row).map(resource -> new SourceProject(resource,
                row.source().projectId().toLowerCase(Locale.ROOT)));
    }

    /**
     * The source resource of a usable row that names a source project or a whole source
     * resource ({@link SourceColumns#wholeResource}).
     */
    public Optional<TargetResource> sourceResource(InputRow row) {
        if (!row.source().named() || sourceProblem(row.source()) != null) {
            return Optional.empty();
        }
        Region region = Region.find(row.source().region()).orElseThrow();
        return Optional.of(new TargetResource(region, endpoints.of(region), resolveKey(row.source().key()).value()));
    }

    /** The training key of a row: literal, or {@code env:NAME} read from the environment. */
    public Resolved resolveKey(String key) {
        if (key.isEmpty()) {
            return new Resolved("", "empty key");
        }
        if (key.startsWith("env:")) {
            String name = key.substring(4);
            String value = environment.apply(name);
            return value == null || value.isBlank()
                    ? new Resolved("", "environment variable " + name + " is not set")
                    : new Resolved(value.trim(), null);
        }
        return new Resolved(key, null);
    }

    public record Resolved(String value, @Nullable String problem) {
    }

    private static LedgerRow invalid(InputRow row, @Nullable Region region, String reason, @Nullable String extras) {
        return new LedgerRow(row.number(), RowStatus.INVALID, region == null ? null : region.apiName(), null, null,
                null, "InvalidRow", reason, extras);
    }
}
