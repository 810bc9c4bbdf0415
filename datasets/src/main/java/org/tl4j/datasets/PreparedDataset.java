package org.tl4j.datasets;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a prepare run produced.
 *
 * @param folder  the finished dataset folder
 * @param counts  images per split ("all" when unsplit) and class
 * @param images  images written in total
 * @param seconds wall-clock time of the run
 */
public record PreparedDataset(Path folder, Map<String, Map<String, Integer>> counts, int images, double seconds) {
}
