package org.tl4j.train;

import java.io.IOException;
import java.nio.file.Path;

/** A featurize cache file that is truncated, damaged or made for another key: it must be recomputed. */
public final class FeatureFileCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public FeatureFileCorruptException(Path file, String problem) {
        super(file + ": " + problem + "; delete the file (the cache recomputes it)");
        this.file = file;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
