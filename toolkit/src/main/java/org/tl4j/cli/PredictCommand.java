package org.tl4j.cli;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tl4j.data.DecodedImage;
import org.tl4j.data.ImageDecoder;
import org.tl4j.data.ImageRejectedException;
import org.tl4j.data.InvalidInputException;
import org.tl4j.predict.DensePredictor;
import org.tl4j.predict.HeatMapImage;
import org.tl4j.predict.ImageClassifier;
import org.tl4j.predict.ImageFiles;
import org.tl4j.predict.NetworkClassifier;
import org.tl4j.predict.Prediction;
import org.tl4j.predict.ScoreMap;
import org.tl4j.predict.SvmClassifier;
import org.tl4j.codes.CnnCodes;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.svm.SvmModel;
import org.tl4j.zoo.weights.WeightSettings;
import org.tl4j.progress.Progress;
import org.tl4j.progress.ProgressTask;
import org.tl4j.train.TrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl4j predict}: the best classes of images by a trained model, optionally as class-score heat maps. */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Classify images with a model ./tl4j fit trained (RUN/model.zip), prepared as its adapter says,"
                + " or with an SVM-on-activations bundle from ./tl4j svm (MODEL.zip).",
                "Scores: softmax probabilities for a network; for an SVM bundle, LIBLINEAR decision values (solver"
                        + " svm) or probabilities (solver logistic). The engine options apply to networks only.",
                "Files that cannot be read as images are reported on stderr and skipped.",
                "Exit codes: 0 when at least one image was classified, 2 on a user error or when no image could"
                        + " be read, 1 on an internal failure."},
        footer = {"", "Example: ./tl4j predict --model runs/r1/model.zip photos/ --top 3 --csv"})
final class PredictCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "RUN/model.zip",
            description = "The trained model, or an SVM bundle.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images, or folders searched for images.")
    List<Path> images;

    @Mixin
    private EngineOptions engine;

    @Option(names = "--graph", paramLabel = "FILE", description = "For an SVM-on-activations model whose adapter"
            + " has no pretrained weights: the DL4J graph zip its codes came from (as given to ./tl4j extract).")
    Path graph;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "How many classes per image.")
    int top;

    @ArgGroup(exclusive = true)
    Format format;

    static final class Format {
        @Option(names = "--json", description = "Print a JSON array of {file, top: [{name, score}]}.")
        boolean json;

        @Option(names = "--csv", description = "Print CSV rows file,rank,class,score.")
        boolean csv;
    }

    @Option(names = "--dense", description = "Also slide the network over the image at --dense-scale times its input"
            + " size (its dense layers made convolutions) and write the best class's score map as a heat map PNG"
            + " over the image, into --out.")
    boolean dense;

    @Option(names = "--dense-scale", paramLabel = "N", defaultValue = "2",
            description = "With --dense: the image is prepared at N times the model's input size.")
    int denseScale;

    @Option(names = "--out", paramLabel = "DIR", description = "With --dense: where IMAGE.dense.png files go"
            + " (default: the current folder).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new InvalidInputException("--top " + top + ": use 1 or more");
        }
        if (out != null && !dense) {
            throw new InvalidInputException("--out is for --dense heat maps: add --dense or drop --out");
        }
        List<Path> files = ImageFiles.list(images);
        ImageClassifier classifier;
        NetworkClassifier network = null;
        if (Files.isRegularFile(model) && SvmFitRun.isBundle(model)) {
            if (dense) {
                throw new InvalidInputException(model + " is an SVM-on-activations model: --dense needs a fine-tuned"
                        + " network (RUN/model.zip); drop --dense");
            }
            classifier = svmClassifier();
        } else {
            if (graph != null) {
                throw new InvalidInputException("--graph is for SVM-on-activations models (./tl4j svm); " + model
                        + " is a fine-tuned network: drop --graph");
            }
            network = new NetworkClassifier(TrainedModel.load(model)).engine(engine.choice());
            classifier = network;
        }
        DensePredictor densePredictor = dense ? new DensePredictor(network.model(), denseScale) : null;
        Path heatFolder = out == null ? Path.of(".") : out;
        if (dense) {
            Files.createDirectories(heatFolder);
        }
        ImageDecoder decoder = new ImageDecoder();
        List<Prediction> predictions = new ArrayList<>();
        List<String> heatMaps = new ArrayList<>();
        int skipped = 0;
        try (ProgressTask progress = Progress.start("predicting", files.size())) {
            for (Path file : files) {
                DecodedImage image;
                try {
                    image = decoder.decode(file);
                } catch (ImageRejectedException e) {
                    System.err.println("tl4j: skipped " + file + ": " + e.getMessage());
                    skipped++;
                    progress.step();
                    continue;
                }
                predictions.add(Prediction.of(file.toString(), classifier.classNames(), classifier.scores(image),
                        top));
                if (densePredictor != null) {
                    ScoreMap map = densePredictor.map(image);
                    Path png = heatFolder.resolve(file.getFileName() + ".dense.png");
                    HeatMapImage.write(map, map.topClass(), png);
                    heatMaps.add(png.toString());
                }
                progress.step();
            }
        }
        if (network != null) {
            network.close();
            if (network.selection() != null && !common.quiet()) {
                // stderr: stdout carries the predictions (CSV or JSON).
                System.err.printf(Locale.ROOT, "tl4j: engine %s (%s)%n", network.selection().engine().name(),
                        network.selection().reason());
            }
        }
        print(classifier, predictions);
        for (String png : heatMaps) {
            System.err.println("tl4j: wrote " + png);
        }
        if (predictions.isEmpty()) {
            throw new InvalidInputException("none of the " + files.size() + " files could be read as an image ("
                    + skipped + " skipped, reasons above): pass JPEG, PNG, BMP or GIF files");
        }
        return ExitCodes.OK;
    }

    /** The SVM bundle with the network its codes came from: --graph, or the adapter's pretrained weights. */
    private ImageClassifier svmClassifier() throws java.io.IOException {
        SvmModel svm = SvmModel.load(model);
        String adapterId = svm.codesInfo().adapterId();
        if (adapterId == null) {
            throw new InvalidInputException(model + " was fitted on codes of unknown origin (a CSV): it can classify"
                    + " codes, not images; extract codes with ./tl4j extract --format npy to keep their origin");
        }
        CnnCodes extractor = graph != null ? CnnCodes.of(CnnCodes.adapter(adapterId), graph)
                : CnnCodes.of(adapterId, WeightSettings.fromEnvironment());
        return new SvmClassifier(svm, extractor);
    }

    private void print(ImageClassifier classifier, List<Prediction> predictions) throws Exception {
        PrintWriter printer = spec.commandLine().getOut();
        if (format != null && format.json) {
            printer.println(Json.MAPPER.writeValueAsString(predictions));
        } else if (format != null && format.csv) {
            // Strict check: quote only fields that need it (the lax default quotes paths with a dash).
            CsvMapper csv = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
            CsvSchema schema = CsvSchema.builder().addColumn("file").addColumn("rank").addColumn("class")
                    .addColumn(classifier.scoreKind()).setUseHeader(true).build();
            List<List<String>> rows = new ArrayList<>();
            for (Prediction p : predictions) {
                for (int r = 0; r < p.top().size(); r++) {
                    rows.add(List.of(p.file(), Integer.toString(r + 1), p.top().get(r).name(),
                            String.format(Locale.ROOT, "%.6f", p.top().get(r).score())));
                }
            }
            printer.print(csv.writer(schema).writeValueAsString(rows));
        } else {
            for (Prediction p : predictions) {
                StringBuilder line = new StringBuilder(p.file());
                for (Prediction.ClassScore s : p.top()) {
                    line.append(String.format(Locale.ROOT, "\t%s %.4f", s.name(), s.score()));
                }
                printer.println(line);
            }
        }
        printer.flush();
    }
}
