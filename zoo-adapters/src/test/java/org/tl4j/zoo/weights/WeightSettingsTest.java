package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightSettingsTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void defaultsToTheHomeCache() {
        WeightSettings settings = WeightSettings.fromEnvironment(Map.of(), HOME);

        assertEquals(Path.of("/home/ada/.cache/tl4j/weights"), settings.cacheDir());
        assertEquals(URI.create(Dl4jZooSource.DEFAULT_BASE_URL), settings.zooBaseUrl());
        assertEquals(Downloader.Settings.DEFAULT, settings.download());
    }

    @Test
    void xdgCacheHomeIsUsedWhenSet() {
        WeightSettings settings = WeightSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/var/cache/ada"), HOME);

        assertEquals(Path.of("/var/cache/ada/tl4j/weights"), settings.cacheDir());
    }

    @Test
    void tl4jCacheBeatsXdgAndTheOptionBeatsBoth() {
        WeightSettings settings = WeightSettings.fromEnvironment(
                Map.of("XDG_CACHE_HOME", "/var/cache/ada", WeightSettings.CACHE_ENV, "/data/tl4j"), HOME);

        assertEquals(Path.of("/data/tl4j/weights"), settings.cacheDir());
        assertEquals(Path.of("/tmp/w"), settings.withCacheDir(Path.of("/tmp/w")).cacheDir());
        assertEquals(settings, settings.withCacheDir(null));
    }

    @Test
    void blankVariablesCountAsUnset() {
        WeightSettings settings = WeightSettings.fromEnvironment(
                Map.of(WeightSettings.CACHE_ENV, " ", WeightSettings.ZOO_BASE_URL_ENV, ""), HOME);

        assertEquals(Path.of("/home/ada/.cache/tl4j/weights"), settings.cacheDir());
        assertEquals(URI.create(Dl4jZooSource.DEFAULT_BASE_URL), settings.zooBaseUrl());
    }
}
