package io.cvimport.imports.lanes;

import org.jspecify.annotations.Nullable;

import io.cvimport.customvision.TargetResource;
import io.cvimport.customvision.SourceProject;

/**
 * A sent import whose answer was lost: its project may or may not exist. It holds its
 * resource's send slot until a listing decides it.
 *
 * @param sentNanos        when it was sent (monotonic); MIN_VALUE when an earlier execution sent it
 * @param listedBeforeNanos when the lane's last listing before the send was asked for; MIN_VALUE when none
 *                          was (an earlier execution's send): projects not in it were made after it
 * @param decidableAtNanos from when (monotonic) a listing that shows no project of it proves it was never
 *                         performed: once the request's whole lifetime has passed since it was sent
 * @param checkAtNanos     when the next listing looks for its project
 */
public record LostAnswer(long rowNo, String token, TargetResource target, long sentAtMillis, long sentNanos,
        long listedBeforeNanos, long decidableAtNanos, long checkAtNanos, @Nullable SourceProject source) {

    /** The same lost answer, looked for again at {@code nanos}. */
    public LostAnswer checkAgainAt(long nanos) {
        return new LostAnswer(rowNo, token, target, sentAtMillis, sentNanos, listedBeforeNanos, decidableAtNanos, nanos,
                source);
    }

    @Override
    public String toString() {
        return "row " + rowNo + " to " + target; // never the token
    }
}
