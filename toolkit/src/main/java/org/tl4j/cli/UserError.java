package org.tl4j.cli;

/**
 * Decides whether a failure was caused by what the user gave (exit 2) rather than by the run itself (exit 1).
 * Modules below the CLI cannot share one exception type (datasets depends on none of ours), so the
 * known input-error types are listed here.
 */
final class UserError {

    private UserError() {
    }

    /** Failures whose message already says what happened and what to do, so no stack-trace hint is added. */
    static boolean isExplained(Throwable t) {
        return isUserError(t) || t instanceof org.tl4j.zoo.weights.WeightsException;
    }

    static boolean isUserError(Throwable t) {
        return t instanceof org.tl4j.data.InvalidInputException
                || t instanceof org.tl4j.datasets.DatasetException
                || t instanceof org.tl4j.zoo.spec.UnknownAdapterException
                || t instanceof org.tl4j.zoo.spec.AdapterSpecException
                || t instanceof org.tl4j.zoo.weights.WeightMismatchException
                || t instanceof org.tl4j.zoo.safety.ModelFileRejectedException
                || t instanceof java.nio.file.NoSuchFileException
                || t instanceof java.nio.file.NotDirectoryException
                || t instanceof java.nio.file.AccessDeniedException;
    }
}
