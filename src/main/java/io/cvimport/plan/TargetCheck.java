package io.cvimport.plan;

/** What one listing of a target resource told about one of its targets. */
sealed interface TargetCheck {

    /** The key works; the resource holds this many projects. */
    record Listed(int projects) implements TargetCheck {
    }

    /** The service refused the key (401, 403) or the listing: a run's imports would get the same. */
    record Refused(String code, String message) implements TargetCheck {
    }

    /** No answer that tells: throttled past the attempts, DNS, TLS, a proxy. */
    record Unchecked(String why) implements TargetCheck {
    }
}
