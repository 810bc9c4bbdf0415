package org.tl4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.select.AdviceTrials;
import org.tl4j.select.Advisor;
import org.tl4j.select.AutoStrategy;
import org.tl4j.select.LinearProbe;
import org.tl4j.select.SelectorThresholds;
import org.tl4j.select.TapScores;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j advise}: measures how well a pretrained model's codes fit a target folder and advises a strategy. */
@Command(name = "advise",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Measure, on the training images of a folder, how well a pretrained model's codes at each tap"
                + " fit the classes (k-fold linear probe, LogME, H-score; LEEP with the source head), against the same"
                + " architecture with random weights and raw pixels, and advise: linear classifier on codes, SVM on an"
                + " earlier tap, fine-tune the top, fine-tune all, or train from scratch, with the reasons and the"
                + " expected cost. Only the training part of the split ./tl4j fit makes with the same --seed and"
                + " --split is read: validation and test images are never touched."})
final class AdviseCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Mixin
    private TrialOptions trials;

    @Mixin
    private EngineOptions engine;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest; only"
            + " the training part of fit's seeded split (train/ of a train/val/test layout) is read.")
    Path data;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "Adapter id (see ./tl4j zoo list).")
    String model;

    @Option(names = "--graph", paramLabel = "FILE", description = "A trained DL4J graph zip (ModelSerializer) built"
            + " for the adapter, used instead of the adapter's own weights (e.g. a source trained by tl4j that is"
            + " not a zoo entry yet).")
    Path graphFile;

    @Option(names = "--taps", split = ",", paramLabel = "TAP", description = "Taps to consider (default: all of the"
            + " adapter's).")
    List<String> taps = List.of();

    @Option(names = "--json", description = "Print the measurements and the advice as one JSON object.")
    boolean json;

    @Option(names = "--save", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
    Path save;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random-weight baseline, the subsample and"
            + " the probe's folds.")
    long seed = Splits.DEFAULT_SEED;

    @Option(names = "--split", paramLabel = "TRAIN,VAL,TEST", converter = SplitCommand.FractionsConverter.class,
            description = "Split fractions, as for ./tl4j fit (a train/val/test layout is used as it is).")
    Splits.Fractions fractions = Splits.Fractions.DEFAULT;

    @Option(names = "--folds", paramLabel = "K", description = "Linear-probe folds (fewer when a class is smaller).")
    int folds = LinearProbe.DEFAULT_FOLDS;

    @Option(names = "--batch", paramLabel = "N", description = "Images per forward batch.")
    int batch = 32;

    @Option(names = "--measure-per-class", paramLabel = "N", description = "Measure on at most N training images per"
            + " class (seeded subsample); size facts count them all.")
    int measurePerClass = 200;

    @Override
    public Integer call() throws Exception {
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(model);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        Advisor advisor = new Advisor(new Advisor.Options(taps, folds, seed, batch, measurePerClass,
                SelectorThresholds.DEFAULT, engine.choice()));
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(!common.quiet()));
        // The training part of the same seeded split fit makes (same --seed and --split): validation and test
        // images are never read, so following the advice leaves them untouched.
        List<Manifest.Entry> training = Splits.of(manifest, fractions, seed).entries(manifest, Splits.Part.TRAIN);
        ComputationGraph graph;
        if (graphFile != null) {
            graph = restore(graphFile);
        } else {
            graph = adapter.hasWeights() ? new AdapterLoader(weights.settings()).load(adapter).graph() : null;
        }
        AdviceTrials.Settings trialSettings = trials.settings(engine.choice());
        if (trialSettings != null && graphFile != null) {
            throw new InvalidInputException("--advise-by-trial trains from the adapter's own weights; it cannot use"
                    + " --graph " + graphFile + ": leave out one of them");
        }
        Advisor.Report measured = advisor.advise(adapter, graph, manifest, training);
        Advisor.Report report = trialSettings == null ? measured : AutoStrategy.withTrials(measured, adapter, weights.settings(), trialSettings, seed, batch,
                !common.quiet(), graph, manifest, training);
        if (graphFile != null) {
            report.notes().add(0, "weights from " + graphFile.toAbsolutePath());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (save != null) {
            AtomicFiles.write(save, stream -> Json.MAPPER.writeValue(stream, report));
        }
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            out.printf(Locale.ROOT, "model %s (%s), %s%n", adapter.id(), report.trainedWeights() ? "trained weights"
                    : "no trained weights", report.size());
            out.printf(Locale.ROOT, "note: measured on the training part of %s (%d images), as ./tl4j fit --seed %d"
                    + " splits it%n", manifest.hasPresetSplits() ? "the folder's train/ layout" : "a stratified split "
                    + fractions, training.size(), seed);
            for (String note : report.notes()) {
                out.println("note: " + note);
            }
            out.printf(Locale.ROOT, "%-10s %6s %8s %8s %8s   %s%n", "TAP", "DIMS", "PROBE", "LOGME", "H-SCORE",
                    "RANDOM WEIGHTS: PROBE / LOGME");
            for (int i = 0; i < report.pretrained().size(); i++) {
                TapScores p = report.pretrained().get(i);
                TapScores r = report.randomInit().get(i);
                out.printf(Locale.ROOT, "%-10s %6d %8.3f %8.3f %8.2f   %.3f / %.3f%n", p.tap(), p.dimensions(),
                        p.probeAccuracy(), p.logMe(), p.hScore(), r.probeAccuracy(), r.logMe());
            }
            if (report.rawPixelProbe() != null) {
                out.printf(Locale.ROOT, "raw pixels: probe %.3f%n", report.rawPixelProbe());
            }
            out.printf(Locale.ROOT, "throughput: %.0f images/s forward (%d images measured)%n",
                    report.imagesPerSecond(), report.measuredImages());
            out.print(report.advice().describe());
            out.println("to follow it:");
            for (String command : org.tl4j.select.NextCommand.of(report.advice(), data.toString(), adapter.id())) {
                out.println("  " + command);
            }
            if (save != null) {
                out.println("report: " + save.toAbsolutePath());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static ComputationGraph restore(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new InvalidInputException("--graph " + file + " does not exist: pass a DL4J ComputationGraph zip");
        }
        try {
            // Checked (zip structure, sizes, Java-serialised classes) before DL4J reads it: the file may come from
            // anywhere.
            return org.tl4j.zoo.safety.SafeModelLoader.standard().restoreComputationGraph(file, false);
        } catch (org.tl4j.zoo.safety.ModelFileRejectedException e) {
            throw new InvalidInputException("--graph " + e.getMessage(), e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidInputException("--graph " + file + " is not a DL4J ComputationGraph zip (" + e.getMessage()
                    + "): save the graph with ModelSerializer.writeModel", e);
        }
    }
}
