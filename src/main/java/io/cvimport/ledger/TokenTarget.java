package io.cvimport.ledger;

/** A token (by fingerprint) imported into a target (by fingerprint): what must happen at most once. */
public record TokenTarget(String tokenFp, String targetFp) {
}
