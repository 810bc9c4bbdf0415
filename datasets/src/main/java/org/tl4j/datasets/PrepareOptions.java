package org.tl4j.datasets;

import java.nio.file.Path;

/**
 * What every {@code datasets prepare} takes.
 *
 * @param out             the folder the dataset ends up in (must not exist or be empty)
 * @param classes         {@code --classes} as typed ({@code null}: all), see {@link ClassSelection}
 * @param perClass        at most this many training images per class ({@code null}: all)
 * @param seed            seeds every random choice (sampling, hold-out, augmentation)
 * @param threads         worker threads
 * @param installPackages the user allowed tl4j to run {@code apt-get install} for missing Debian packages
 * @param progress        where progress lines go
 */
public record PrepareOptions(Path out, String classes, Integer perClass, long seed, int threads,
                             boolean installPackages, Progress progress) {

    /** Options with defaults: all classes, all images, the default seed, every core, no installs, silent. */
    public static PrepareOptions defaults(Path out) {
        return new PrepareOptions(out, null, null, Seeds.DEFAULT_SEED, Parallel.defaultThreads(), false, Progress.SILENT);
    }

    public PrepareOptions withClasses(String spec) {
        return new PrepareOptions(out, spec, perClass, seed, threads, installPackages, progress);
    }

    public PrepareOptions withPerClass(Integer n) {
        return new PrepareOptions(out, classes, n, seed, threads, installPackages, progress);
    }

    public PrepareOptions withSeed(long newSeed) {
        return new PrepareOptions(out, classes, perClass, newSeed, threads, installPackages, progress);
    }

    public PrepareOptions withInstallPackages(boolean allowed) {
        return new PrepareOptions(out, classes, perClass, seed, threads, allowed, progress);
    }

    public PrepareOptions withProgress(Progress newProgress) {
        return new PrepareOptions(out, classes, perClass, seed, threads, installPackages, newProgress);
    }

    public PrepareOptions withThreads(int n) {
        return new PrepareOptions(out, classes, perClass, seed, n, installPackages, progress);
    }
}
