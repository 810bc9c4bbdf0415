package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Splits;
import org.tl4j.svm.Evaluation;
import org.tl4j.svm.LinearSolver;
import org.tl4j.svm.SvmModel;
import org.tl4j.svm.SvmOptions;
import org.tl4j.svm.SvmTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j svm}: a linear SVM (or logistic regression) on codes files, C chosen on validation codes. */
@Command(name = "svm",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Fit a one-vs-rest linear classifier (LIBLINEAR: L2-regularised L2-loss SVM in the dual, or"
                + " logistic regression) on standardised codes from ./tl4j extract. C is chosen over a log grid by"
                + " the score on --val codes (without --val: on a stratified, seeded 20%% of --codes, then refitted"
                + " on all of them). --test codes are scored once, after the choice.",
                "The saved zip holds adapter, tap, pooling, normalisation, scaler, LIBLINEAR model and class names."})
final class SvmCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--codes", required = true, paramLabel = "FILE", description = "Training codes (.npz, .csv,"
            + " .bin).")
    Path codes;

    @Option(names = "--val", paramLabel = "FILE", description = "Validation codes to choose C on.")
    Path val;

    @Option(names = "--test", paramLabel = "FILE", description = "Test codes, scored once after fitting.")
    Path test;

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "Model bundle to write.")
    Path out;

    @Option(names = "--solver", paramLabel = "svm|logistic", description = "Linear SVM or logistic regression.")
    String solver = "svm";

    @Option(names = "--class-weights", description = "Weight classes inversely to their size (for imbalanced"
            + " folders); C is then chosen by balanced accuracy.")
    boolean classWeights;

    @Option(names = "--c", split = ",", paramLabel = "C", description = "Values of C to try (default 2^-12, 2^-10,"
            + " ..., 2^4).")
    double[] grid;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the hold-out used without --val.")
    long seed = Splits.DEFAULT_SEED;

    @Override
    public Integer call() throws Exception {
        SvmOptions defaults = SvmOptions.defaults();
        SvmOptions options;
        try {
            options = new SvmOptions(LinearSolver.parse(solver), grid != null ? grid : defaults.cGrid(), classWeights,
                    defaults.epsilon(), defaults.valFraction(), seed);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--c: " + e.getMessage(), e);
        }
        Codes train = CodesFiles.read(codes);
        Codes valCodes = val == null ? null : CodesFiles.read(val);
        long start = System.nanoTime();
        SvmModel model = new SvmTrainer(options).fit(train, valCodes);
        double seconds = (System.nanoTime() - start) / 1e9;
        model.save(out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s on %d x %d codes (%s), %d classes%n", options.solver(), train.rows(), train.dim(),
                train.info().describe(), model.classes().size());
        for (SvmModel.Trial t : model.trials()) {
            w.printf(Locale.ROOT, "  C=%-10g validation %s %.4f%s%n", t.c(), classWeights ? "balanced accuracy"
                    : "accuracy", t.valScore(), t.c() == model.c() ? "  <- chosen" : "");
        }
        w.printf(Locale.ROOT, "chose C=%g on %s; fitted in %.1f s -> %s%n", model.c(), model.validation(), seconds,
                out);
        if (test != null) {
            Evaluation e = model.evaluate(CodesFiles.read(test));
            w.printf(Locale.ROOT, "test: accuracy %.4f, balanced accuracy %.4f on %d images%n", e.accuracy(),
                    e.balancedAccuracy(), e.images());
        }
        if (Arrays.stream(options.cGrid()).max().orElse(0) == model.c() && options.cGrid().length > 1) {
            w.println("note: the largest C was chosen; a wider grid (--c) may do better");
        }
        w.flush();
        return ExitCodes.OK;
    }
}
