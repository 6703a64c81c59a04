package io.cvimport.repository;

/** The job repository stayed unreachable for longer than the run may wait: the run fails, resumably. */
public final class RepositoryUnreachableException extends RuntimeException {

    RepositoryUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
