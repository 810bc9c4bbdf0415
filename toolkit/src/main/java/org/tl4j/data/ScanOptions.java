package org.tl4j.data;

/**
 * How {@link ImageFolder#scan(java.nio.file.Path, ScanOptions)} works.
 *
 * @param threads   decoding threads (every file is decoded once to prove it is usable)
 * @param maxPixels images whose header declares more pixels are rejected before decoding
 * @param progress  whether to log a progress line every few seconds
 */
public record ScanOptions(int threads, long maxPixels, boolean progress) {

    public ScanOptions {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
    }

    /** All cores, the default pixel limit, progress on. */
    public static ScanOptions defaults() {
        return new ScanOptions(Runtime.getRuntime().availableProcessors(), ImageDecoder.DEFAULT_MAX_PIXELS, true);
    }

    /** These options with another pixel limit. */
    public ScanOptions withMaxPixels(long limit) {
        return new ScanOptions(threads, limit, progress);
    }

    /** These options with progress lines on or off. */
    public ScanOptions withProgress(boolean on) {
        return new ScanOptions(threads, maxPixels, on);
    }
}
