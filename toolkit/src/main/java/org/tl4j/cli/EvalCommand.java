package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.data.InvalidInputException;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.train.ClassificationMetrics;
import org.tl4j.train.ModelEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j eval}: a saved model's accuracy, top-k, per-class scores and confusion matrix on a folder. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Evaluate a model.zip written by ./tl4j fit (any strategy, svm included) on every usable image"
                + " of a folder whose class sub-folders are the model's classes: accuracy, top-5, per-class"
                + " precision/recall/F1 and the confusion matrix. An SVM has no probabilities: top-1 and no loss.")
final class EvalCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Mixin
    private EngineOptions engine;

    @Spec
    private CommandSpec spec;

    @Option(names = "--weights", paramLabel = "MODEL.zip", description = "For an SVM fitted on the codes of a"
            + " network trained by ./tl4j fit (not the adapter's own weights): that network's model.zip.")
    Path sourceWeights;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "A model ./tl4j fit wrote.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder, one sub-folder per class.")
    Path data;

    @Option(names = "--batch", paramLabel = "N", description = "Images per batch.")
    int batch = 32;

    @Option(names = "--json", description = "Print the metrics as JSON (the layout of a run's metrics.json).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new InvalidInputException("--batch " + batch + ": use a positive number of images per batch,"
                    + " e.g. --batch 32");
        }
        ClassificationMetrics metrics;
        if (SvmFitRun.isBundle(model)) {
            // An SVM bundle's codes come from CnnCodes (its own engine), not the model.zip engine path below.
            metrics = SvmFitRun.evaluate(model, data, weights.settings(), sourceWeights, batch, !common.quiet());
        } else {
            ModelEvaluation.Result result = ModelEvaluation.evaluate(model, data, batch, !common.quiet(),
                    engine.choice());
            metrics = result.metrics();
            if (!common.quiet()) {
                // stderr: stdout carries the metrics (possibly as JSON).
                System.err.printf(Locale.ROOT, "tl4j: engine %s (%s)%n", result.engine().engine().name(),
                        result.engine().reason());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(metrics));
        } else {
            out.printf(Locale.ROOT, "%s on %s: %d images, accuracy %.4f, top-%d %.4f, mean loss %.4f%n", model, data,
                    metrics.images(), metrics.accuracy(), metrics.topK(), metrics.topKAccuracy(), metrics.meanLoss());
            int width = Math.max(5, metrics.classNames().stream().mapToInt(String::length).max().orElse(5));
            out.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1",
                    "support");
            for (ClassificationMetrics.ClassScores c : metrics.perClass()) {
                out.printf(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %8d%n", c.name(), c.precision(),
                        c.recall(), c.f1(), c.support());
            }
            out.println("confusion (rows: actual, columns: predicted, in class order)");
            for (int r = 0; r < metrics.confusion().length; r++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", metrics.classNames().get(r)));
                for (int count : metrics.confusion()[r]) {
                    row.append(String.format(Locale.ROOT, " %6d", count));
                }
                out.println(row);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
