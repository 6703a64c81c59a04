package io.cvimport.imports.feed;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.SourceProject;
import io.cvimport.customvision.TargetResource;
import io.cvimport.input.InputRow;
import io.cvimport.input.RowIdentity;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.OpenRow;

/**
 * Compares an open row of the ledger with the same row read from the input now, before
 * anything is sent for it: its token (or source project) must be the one the ledger recorded, and its target
 * the same resource (another key or endpoint of a resource already linked is the same).
 */
final class RowCheck {

    sealed interface Result {
    }

    /** The row is the one the ledger recorded: work it on this target (exporting its source project, if it names one). */
    record Usable(TargetResource target, @Nullable SourceProject source) implements Result {
    }

    /** The row's key variable is not set on this run: the row stays as it is. */
    record KeyUnavailable(String variable) implements Result {
    }

    /** The row read now is not the row the ledger recorded. */
    record Changed(String why) implements Result {
    }

    private RowCheck() {
    }

    static Result check(RowJudge judge, TargetIdentities identities, OpenRow row, @Nullable InputRow input) {
        if (input == null) {
            return new Changed("it is no longer in the input");
        }
        if (row.tokenFp() != null && !row.tokenFp().equals(RowIdentity.of(input))) {
            return new Changed(input.source().named() ? "its source project is not the one the ledger recorded"
                    : "its token is not the one the ledger recorded");
        }
        SourceProject source = null;
        if (input.source().named()) {
            String sourceKey = input.source().key();
            if (judge.resolveKey(sourceKey).problem() != null && sourceKey.startsWith("env:")) {
                return new KeyUnavailable(sourceKey.substring(4));
            }
            source = judge.source(input).orElse(null);
            if (source == null) {
                return new Changed("its source project's columns are no longer usable");
            }
        }
        String problem = judge.resolveKey(input.key()).problem();
        if (problem != null) {
            return input.key().startsWith("env:") ? new KeyUnavailable(input.key().substring(4))
                    : new Changed("its key is now " + problem.replace("empty key", "empty"));
        }
        Optional<TargetResource> target = judge.target(input);
        if (target.isEmpty()) {
            return new Changed("its region is not the one the ledger recorded");
        }
        String now = target.get().fingerprint();
        if (row.targetFp() != null && !row.targetFp().equals(now) && !identities.sameResource(row.targetFp(), target.get())) {
            return new Changed("its key (or the endpoint) now names target " + target.get().fingerprint()
                    + ", not the ledger's " + row.targetFp());
        }
        return new Usable(target.get(), source);
    }
}
