package org.tl4j.cli;

import java.nio.file.Path;
import org.tl4j.zoo.weights.WeightSettings;
import picocli.CommandLine.Option;

/** Where weight files are cached and which mirror serves DL4J zoo files; mixed into the commands that need it. */
final class WeightOptions {

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Weights cache directory (default: $TL4J_CACHE/weights, else ~/.cache/tl4j/weights).")
    private Path cacheDir;

    @Option(names = "--zoo-base-url", paramLabel = "URL",
            description = "Mirror of DL4J's model zoo host (default: $TL4J_ZOO_BASE_URL, else DL4J's own host).")
    private String zooBaseUrl;

    WeightSettings settings() {
        WeightSettings settings = WeightSettings.fromEnvironment().withCacheDir(cacheDir);
        return zooBaseUrl == null ? settings : settings.withZooBaseUrl(zooBaseUrl);
    }
}
