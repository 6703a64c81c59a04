package io.cvimport.imports.engine;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.ApiError;
import io.cvimport.customvision.ProjectExport;
import io.cvimport.ledger.ClaimHolder;
import io.cvimport.ledger.RowStatus;
import io.cvimport.ledger.Submission;
import io.cvimport.ledger.RowRecorder;

/** The ledger's rows in memory: every row starts PENDING; no other run holds any claim. */
public final class FakeRows implements RowRecorder {

    final Map<Long, RowStatus> status = new ConcurrentHashMap<>();
    private final Map<Long, String> projects = new ConcurrentHashMap<>();

    public RowStatus of(long row) {
        return status.getOrDefault(row, RowStatus.PENDING);
    }

    private synchronized boolean move(long row, Set<RowStatus> from, RowStatus to) {
        if (!from.contains(of(row))) {
            return false;
        }
        status.put(row, to);
        return true;
    }

    private static final Set<RowStatus> AWAITED = Set.of(RowStatus.SUBMITTING, RowStatus.IMPORTING,
            RowStatus.TIMED_OUT);

    @Override
    public Submission submitting(long row, long sentAtMillis, boolean fromInDoubt) {
        return new Submission(move(row, Set.of(RowStatus.PENDING), RowStatus.SUBMITTING), null);
    }

    @Override
    public void checkFence() {
    }

    @Override
    public boolean exported(long row, ProjectExport export, long atMillis) {
        return of(row) == RowStatus.SUBMITTING;
    }

    /** How many times the engine read a row's exported counts. */
    public final java.util.concurrent.atomic.AtomicInteger exportedReads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public io.cvimport.ledger.@Nullable ExportedCounts exported(long row) {
        exportedReads.incrementAndGet();
        return null;
    }

    @Override
    public boolean verified(long row, @Nullable Boolean matches, @Nullable String message) {
        return of(row) == RowStatus.SUCCEEDED;
    }

    @Override
    public boolean importing(long row, String projectId, long answeredAtMillis) {
        projects.put(row, projectId);
        return move(row, Set.of(RowStatus.SUBMITTING), RowStatus.IMPORTING);
    }

    @Override
    public boolean answerLost(long row, long lostAtMillis, ApiError error) {
        return of(row) == RowStatus.SUBMITTING;
    }

    @Override
    public boolean backToPending(long row, String code, String message) {
        return move(row, Set.of(RowStatus.SUBMITTING), RowStatus.PENDING);
    }

    @Override
    public boolean notSent(long row, String code, String message) {
        return of(row) == RowStatus.PENDING;
    }

    @Override
    public boolean succeeded(long row, String projectId) {
        return move(row, AWAITED, RowStatus.SUCCEEDED);
    }

    @Override
    public boolean failed(long row, String projectId, String message) {
        return move(row, AWAITED, RowStatus.FAILED);
    }

    @Override
    public boolean failed(long row, String projectId, ApiError error) {
        return move(row, AWAITED, RowStatus.FAILED);
    }

    @Override
    public boolean stuck(long row, String projectId, String message) {
        return move(row, AWAITED, RowStatus.FAILED);
    }

    @Override
    public boolean stuckElsewhere(long row, String projectId, String message) {
        return move(row, Set.of(RowStatus.PENDING), RowStatus.FAILED);
    }

    @Override
    public void renewSlot(long row, long nowMillis) {
        // no slots here: one engine, one lane per resource
    }

    @Override
    public boolean refusedUnsent(long row, ApiError error) {
        return move(row, Set.of(RowStatus.PENDING), RowStatus.REJECTED);
    }

    @Override
    public boolean rejected(long row, ApiError error) {
        return move(row, Set.of(RowStatus.SUBMITTING), RowStatus.REJECTED);
    }

    @Override
    public boolean timedOut(long row, String projectId, String message) {
        return move(row, AWAITED, RowStatus.TIMED_OUT);
    }

    @Override
    public boolean timedOut(long row, String projectId, ApiError error) {
        return move(row, AWAITED, RowStatus.TIMED_OUT);
    }

    @Override
    public boolean inDoubt(long row, String message, @Nullable String candidates) {
        return move(row, Set.of(RowStatus.SUBMITTING, RowStatus.PENDING), RowStatus.IN_DOUBT);
    }

    @Override
    public boolean duplicate(long row, String message) {
        return move(row, Set.of(RowStatus.PENDING, RowStatus.SUBMITTING), RowStatus.DUPLICATE);
    }

    @Override
    public boolean alreadyImported(long row, @Nullable String projectId, String message) {
        return move(row, Set.of(RowStatus.PENDING, RowStatus.SUBMITTING), RowStatus.ALREADY_IMPORTED);
    }

    @Override
    public @Nullable ClaimHolder claimHolder(long row) {
        return null;
    }

    @Override
    public void releaseClaim(long instance, long row) {
    }

    @Override
    public Set<String> claimed(Collection<String> projectIds) {
        return projectIds.stream().filter(projects::containsValue).collect(Collectors.toSet());
    }

    @Override
    public Settled settled() {
        return Settled.NONE;
    }

    long count(RowStatus wanted) {
        return status.values().stream().filter(s -> s == wanted).count();
    }
}
