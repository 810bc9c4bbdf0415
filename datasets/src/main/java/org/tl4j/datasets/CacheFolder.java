package org.tl4j.datasets;

import java.nio.file.Path;

/** Where downloaded source files are kept between runs: {@code $XDG_CACHE_HOME/tl4j/datasets} or {@code ~/.cache/...}. */
public final class CacheFolder {

    private CacheFolder() {
    }

    public static Path forDataset(String name) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tl4j").resolve("datasets").resolve(name);
    }
}
