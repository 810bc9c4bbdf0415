package org.tl4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.codes.CodesFormat;

/**
 * Example: CNN codes of an image folder from the Java API, what {@code ./tl4j extract} does.
 * <p>
 * {@code java -cp ... org.tl4j.examples.ExtractCnnCodes DIR OUT.npz [MODEL] [--untrained]}
 */
public final class ExtractCnnCodes {

    private ExtractCnnCodes() {
    }

    /**
     * The codes of every usable image of {@code folder} at the adapter's default tap, average-pooled, signed
     * square-rooted and L2-normalised (one row per image, in folder order).
     *
     * @param adapterId  an adapter id ({@code ./tl4j zoo list})
     * @param untrained  seeded random weights instead of the pretrained ones (the small adapters ship none)
     * @param cache      where codes are cached (reruns on unchanged images read them back)
     */
    public static Codes extract(Path folder, String adapterId, boolean untrained, Path cache) throws IOException {
        CnnCodes extractor = untrained ? CnnCodes.untrained(CnnCodes.adapter(adapterId), 42) : CnnCodes.of(adapterId);
        return extractor.signedSqrt(true).l2Normalize(true).cacheFolder(cache).extract(folder);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ExtractCnnCodes DIR OUT.npz [MODEL] [--untrained]");
            System.exit(2);
        }
        String model = args.length > 2 && !args[2].startsWith("--") ? args[2] : "resnet50-small";
        boolean untrained = java.util.List.of(args).contains("--untrained");
        Codes codes = extract(Path.of(args[0]), model, untrained, org.tl4j.train.FeatureCache.defaultFolder());
        CodesFiles.write(codes, Path.of(args[1]), CodesFormat.NPZ);
        System.out.printf("%d x %d codes of %s -> %s%n", codes.rows(), codes.dim(), codes.info().classes(), args[1]);
    }
}
