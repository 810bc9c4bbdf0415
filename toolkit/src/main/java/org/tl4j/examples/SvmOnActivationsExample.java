package org.tl4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.tl4j.codes.CnnCodes;
import org.tl4j.svm.SvmOnActivations;
import org.tl4j.svm.SvmOptions;

/**
 * Example: a linear SVM on CNN codes from the Java API, what {@code ./tl4j extract} then {@code ./tl4j svm} do.
 * <p>
 * {@code java -cp ... org.tl4j.examples.SvmOnActivationsExample DIR SVM.zip [MODEL] [--untrained]}
 */
public final class SvmOnActivationsExample {

    private SvmOnActivationsExample() {
    }

    /**
     * Fits the SVM on a seeded stratified split of {@code folder} (C chosen on its val part), saves it to
     * {@code out} and returns the fit, its validation accuracy included.
     */
    public static SvmOnActivations.Result fit(Path folder, String adapterId, boolean untrained, Path cache, Path out)
            throws IOException {
        CnnCodes extractor = untrained ? CnnCodes.untrained(CnnCodes.adapter(adapterId), 42) : CnnCodes.of(adapterId);
        extractor.signedSqrt(true).l2Normalize(true).cacheFolder(cache);
        SvmOnActivations.Result result = SvmOnActivations.fit(extractor, folder, SvmOptions.defaults());
        result.model().save(out);
        return result;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SvmOnActivationsExample DIR SVM.zip [MODEL] [--untrained]");
            System.exit(2);
        }
        String model = args.length > 2 && !args[2].startsWith("--") ? args[2] : "resnet50-small";
        boolean untrained = java.util.List.of(args).contains("--untrained");
        SvmOnActivations.Result r = fit(Path.of(args[0]), model, untrained, org.tl4j.train.FeatureCache.defaultFolder(),
                Path.of(args[1]));
        System.out.printf("C=%g, validation accuracy %.4f -> %s%n", r.model().c(),
                r.valScore() == null ? Double.NaN : r.valScore().accuracy(), args[1]);
    }
}
