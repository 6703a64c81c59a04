package io.cvimport.repository;

/**
 * The default job repository has no place: no home directory (a container user), or one where
 * its directory cannot be made. An unusable invocation (exit 2): the operator names one.
 */
public final class NoRepositoryDirectoryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    NoRepositoryDirectoryException(String problem) {
        super(problem + ": set --repository=DIR or CVIMPORT_REPOSITORY");
    }
}
