package org.tl4j.bench.transfer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.tl4j.data.InvalidInputException;
import org.tl4j.datasets.CacheFolder;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;
import org.tl4j.datasets.Progress;
import org.tl4j.datasets.digits.OpenCvDigits;
import org.tl4j.datasets.fashion.FashionMnist;
import org.tl4j.datasets.fashion.FashionMnistSource;

/**
 * The benchmark's targets (issue 6), each prepared as {@code ./tl4j datasets prepare} does: a train/ and test/
 * folder, at most N training images per class (seeded), test/ whole. fit carves its validation split from train/.
 */
public enum TransferTarget {
    /** OpenCV's handwritten digits (Debian opencv-doc), 20% of each class held out as test/: close to glyphs. */
    DIGITS("digits", "datasets prepare digits --test-fraction 0.2"),
    /** Fashion-MNIST classes 5-9 (Debian dataset-fashion-mnist), the official test images: far from glyphs. */
    FASHION_5_9("fashion5-9", "datasets prepare fashion-mnist --classes 5-9");

    /** Share of each digit class held out as test/. */
    static final double DIGITS_TEST_FRACTION = 0.2;

    private final String id;
    private final String command;

    TransferTarget(String id, String command) {
        this.id = id;
        this.command = command;
    }

    /** The name in --targets and the results. */
    public String id() {
        return id;
    }

    /** The ./tl4j command that makes the same folder (add --per-class N --seed S --out DIR). */
    public String command() {
        return command;
    }

    /**
     * Writes the target folder (the datasets module writes DIR.tmp-* and renames it, so an existing folder is
     * complete).
     *
     * @param out      the folder to create
     * @param perClass training images per class at most
     * @param seed     seed of the sampling (and of the digits' hold-out)
     */
    public PreparedDataset prepare(Path out, int perClass, long seed, Progress progress) {
        PrepareOptions options = new PrepareOptions(out, null, perClass, seed, 1, false, progress);
        return switch (this) {
            case DIGITS -> OpenCvDigits.prepare(options, OpenCvDigits.locate(null, false, progress),
                    DIGITS_TEST_FRACTION);
            case FASHION_5_9 -> FashionMnist.prepare(options.withClasses("5-9"), FashionMnistSource.locate(null,
                    false, false, CacheFolder.forDataset(FashionMnist.NAME), progress));
        };
    }

    /** Parses a target id. */
    public static TransferTarget parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        for (TransferTarget t : values()) {
            if (t.id.equals(value)) {
                return t;
            }
        }
        throw new InvalidInputException("--targets: unknown target '" + text + "'; use any of "
                + Arrays.stream(values()).map(TransferTarget::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
