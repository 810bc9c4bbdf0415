package org.tl4j.cli;

/**
 * Decides whether a failure was caused by what the user gave (exit 2) rather than by the run itself (exit 1).
 * Modules below the CLI cannot share one exception type (datasets depends on none of ours), so the
 * known input-error types are listed here.
 */
final class UserError {

    private UserError() {
    }

    static boolean isUserError(Throwable t) {
        return t instanceof org.tl4j.data.InvalidInputException
                || t instanceof org.tl4j.datasets.DatasetException
                || t instanceof java.nio.file.NoSuchFileException
                || t instanceof java.nio.file.NotDirectoryException
                || t instanceof java.nio.file.AccessDeniedException;
    }
}
