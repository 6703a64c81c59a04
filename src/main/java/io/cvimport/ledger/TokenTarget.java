package io.cvimport.ledger;

/**
 * A token (by fingerprint) imported into a target (by fingerprint, or by its resource's id
 * where the pair names a resource): what must happen at most once.
 */
public record TokenTarget(String tokenFp, String targetFp) {
}
