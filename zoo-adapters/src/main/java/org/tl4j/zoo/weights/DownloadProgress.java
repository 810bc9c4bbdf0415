package org.tl4j.zoo.weights;

import java.net.URI;

/**
 * Told how a transfer is going: once with {@code bytesDone == 0} when it starts, after every chunk, and once with
 * {@code finished} when it has succeeded. One instance may watch several transfers, one after another.
 */
@FunctionalInterface
public interface DownloadProgress {

    /** Reports nothing. */
    DownloadProgress NONE = (uri, bytesDone, totalBytes, finished) -> { };

    /**
     * @param uri        what is being transferred
     * @param bytesDone  bytes received so far
     * @param totalBytes the announced size, or -1 when the server did not say
     * @param finished   true on the last call of a successful transfer
     */
    void update(URI uri, long bytesDone, long totalBytes, boolean finished);
}
