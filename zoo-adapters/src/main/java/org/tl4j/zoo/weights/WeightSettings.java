package org.tl4j.zoo.weights;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where weights are cached, which mirror serves DL4J zoo files, and how patient downloads are. Built from the
 * environment, then overridden by command-line options:
 *
 * <ul>
 *   <li>cache directory: the {@code --cache} option (the weights directory itself), else
 *       {@code $TL4J_CACHE/weights}, else {@code $XDG_CACHE_HOME/tl4j/weights}, else
 *       {@code ~/.cache/tl4j/weights}. {@code TL4J_CACHE} names tl4j's whole cache root so other caches can live
 *       beside the weights;</li>
 *   <li>DL4J zoo base URL: the option, else {@code $TL4J_ZOO_BASE_URL}, else
 *       {@link Dl4jZooSource#DEFAULT_BASE_URL} (DL4J's own host, which has been unreachable for users before,
 *       hence the override).</li>
 * </ul>
 *
 * @param cacheDir   the weights cache directory
 * @param zooBaseUrl base URL that DL4J zoo paths are resolved against; ends with {@code /}
 * @param download   time-outs and retries
 */
public record WeightSettings(Path cacheDir, URI zooBaseUrl, Downloader.Settings download) {

    /** Environment variable naming tl4j's cache root; weights go to its {@code weights} sub-directory. */
    public static final String CACHE_ENV = "TL4J_CACHE";
    /** Environment variable naming a mirror of DL4J's zoo host. */
    public static final String ZOO_BASE_URL_ENV = "TL4J_ZOO_BASE_URL";

    /** Checks the parts and adds the trailing {@code /} to the base URL. */
    public WeightSettings {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(download, "download");
        zooBaseUrl = normalizeBaseUrl(Objects.requireNonNull(zooBaseUrl, "zooBaseUrl").toString(), "zooBaseUrl");
    }

    /** Settings from this process's environment and {@code user.home}. */
    public static WeightSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Settings from the given environment (testable without touching the real one). */
    public static WeightSettings fromEnvironment(Map<String, String> env, Path userHome) {
        Path cache;
        if (present(env.get(CACHE_ENV))) {
            cache = Path.of(env.get(CACHE_ENV)).resolve("weights");
        } else if (present(env.get("XDG_CACHE_HOME"))) {
            cache = Path.of(env.get("XDG_CACHE_HOME")).resolve("tl4j").resolve("weights");
        } else {
            cache = userHome.resolve(".cache").resolve("tl4j").resolve("weights");
        }
        URI base = present(env.get(ZOO_BASE_URL_ENV))
                ? normalizeBaseUrl(env.get(ZOO_BASE_URL_ENV), ZOO_BASE_URL_ENV)
                : URI.create(Dl4jZooSource.DEFAULT_BASE_URL);
        return new WeightSettings(cache, base, Downloader.Settings.DEFAULT);
    }

    /** These settings with the cache directory given by an option; null keeps the current one. */
    public WeightSettings withCacheDir(Path dir) {
        return dir == null ? this : new WeightSettings(dir, zooBaseUrl, download);
    }

    /** These settings with a zoo mirror given by an option; null or blank keeps the current one. */
    public WeightSettings withZooBaseUrl(String url) {
        return present(url) ? new WeightSettings(cacheDir, normalizeBaseUrl(url, "--zoo-base-url"), download) : this;
    }

    /** These settings with other time-outs and retries. */
    public WeightSettings withDownload(Downloader.Settings settings) {
        return new WeightSettings(cacheDir, zooBaseUrl, settings);
    }

    /**
     * Parses a base URL, adding the trailing {@code /} that relative resolution needs.
     *
     * @throws IllegalArgumentException naming {@code where} it came from when it is not an absolute
     *                                  https:, http: or file: URL
     */
    static URI normalizeBaseUrl(String text, String where) {
        String withSlash = text.strip().endsWith("/") ? text.strip() : text.strip() + "/";
        try {
            URI uri = new URI(withSlash);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("https") || scheme.equals("http") || scheme.equals("file"))) {
                throw new URISyntaxException(text, "needs an https:, http: or file: scheme");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + " '" + text + "' is not a usable base URL (" + e.getReason()
                    + "); give one like https://mirror.example.org/dl4j/");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
