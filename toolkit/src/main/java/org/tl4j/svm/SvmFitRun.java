package org.tl4j.svm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.train.ClassificationMetrics;
import org.tl4j.train.RunRecord;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * {@code ./tl4j fit --strategy svm --tap T}: the same seeded splits as the other strategies (RUN/splits.json), a
 * linear SVM on the tap's standardised codes of the train split with C chosen on the val split, the test split
 * scored once at the end; writes RUN/model.zip (the {@link SvmModel} bundle), RUN/run.json ({@link RunRecord} with
 * its {@link RunRecord.SvmSummary}) and RUN/metrics.json ({@link ClassificationMetrics}).
 */
public final class SvmFitRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param data       the image folder
     * @param adapter    the adapter
     * @param extractor  codes of the adapter's pretrained weights, or of a graph given with --weights
     * @param weights    where the network's weights came from
     * @param tap        the tap (null: the adapter's default tap)
     * @param fractions  split shares
     * @param seed       the splits' seed
     * @param options    the SVM's grid and solver
     */
    public record Settings(Path data, AdapterSpec adapter, CnnCodes extractor, RunRecord.WeightsProvenance weights,
                           String tap, Splits.Fractions fractions, long seed, SvmOptions options) {
    }

    /**
     * @param model  the fitted SVM
     * @param run    what run.json holds
     * @param test   what metrics.json holds
     */
    public record Result(SvmModel model, RunRecord run, ClassificationMetrics test) {
    }

    private SvmFitRun() {
    }

    /** The extractor for {@code --weights MODEL.zip} (a model an earlier fit of the same adapter wrote). */
    public static CnnCodes extractorFromRun(AdapterSpec adapter, Path modelZip) throws IOException {
        TrainedModel trained = TrainedModel.load(modelZip);
        if (!adapter.id().equals(trained.metadata().adapterId())) {
            throw new InvalidInputException(modelZip + " was trained from adapter '" + trained.metadata().adapterId()
                    + "', not '" + adapter.id() + "': pass --model " + trained.metadata().adapterId());
        }
        return CnnCodes.of(adapter, trained.graph());
    }

    /** Fits and writes the run folder {@code out}. */
    public static Result run(Settings s, Path out, boolean progress) throws IOException {
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        Files.createDirectories(out);
        Manifest manifest = ImageFolder.scan(s.data(), ScanOptions.defaults().withProgress(progress));
        if (manifest.classes().size() < 2) {
            throw new InvalidInputException(s.data() + " has " + manifest.classes().size() + " class folder(s): an"
                    + " SVM needs two or more");
        }
        Splits splits = Splits.loadOrCreate(out, manifest, s.fractions(), s.seed()).splits();
        String tap = s.tap() == null ? s.adapter().defaultTap() : s.tap();
        CnnCodes extractor = s.extractor().tap(tap).progress(progress);
        SvmOnActivations.Result fit = SvmOnActivations.fit(extractor, manifest, splits, s.options());
        SvmModel model = fit.model();
        // The test split is read once, after C is chosen.
        Codes testCodes = extractor.extract(manifest, splits, Splits.Part.TEST);
        ClassificationMetrics test = metrics(model, testCodes, Splits.Part.TEST.key());
        model.save(out.resolve("model.zip"));
        AtomicFiles.write(out.resolve("metrics.json"), o -> JSON.writeValue(o, test));

        List<RunRecord.SvmTrial> grid = new ArrayList<>();
        for (SvmModel.Trial t : model.trials()) {
            grid.add(new RunRecord.SvmTrial(t.c(), t.valScore()));
        }
        RunRecord.SvmSummary svm = new RunRecord.SvmSummary(model.solver().name(),
                model.codesInfo().pooling() == null ? null : model.codesInfo().pooling().name(), model.c(), grid,
                fit.valScore() == null ? null : fit.valScore().accuracy());
        RunRecord.WeightsProvenance weights = s.weights().sha256() != null ? s.weights()
                : new RunRecord.WeightsProvenance(s.weights().kind(), s.weights().file(),
                        model.codesInfo().weightsSha256()); // the hash the codes (and the bundle) carry
        RunRecord run = new RunRecord(RunRecord.FORMAT_VERSION, s.adapter().id(), "svm", weights,
                new RunRecord.DataProvenance(s.data().toAbsolutePath().toString(), manifest.dataHash(),
                        manifest.okEntries().size(), manifest.classes()),
                splitsProvenance(out, manifest, splits), s.seed(), null, tap, "all (frozen network)", null,
                Double.NaN, null, null, List.of(), null, List.of(), null, null,
                new RunRecord.TestSummary(test.images(), test.accuracy(), test.topK(), test.topKAccuracy(),
                        test.meanLoss()),
                startedAt, Instant.now().toString(), (System.nanoTime() - started) / 1e9, svm, null);
        write(out, run);
        return new Result(model, run, test);
    }

    /** Whether {@code file} is an SVM bundle ({@link SvmModel#save}), told by its svm.json entry. */
    public static boolean isBundle(Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.getEntry(SvmModel.META_ENTRY) != null;
        } catch (IOException e) {
            return false; // not a zip at all: the caller's own loader reports it
        }
    }

    /**
     * {@code ./tl4j eval} of an SVM bundle on a labelled folder, in the layout of metrics.json.
     *
     * @param sourceWeights the model.zip whose codes the SVM was fitted on, when the adapter's own weights were not
     *                      used (run.json's weights.file); null for an adapter with pretrained weights
     */
    public static ClassificationMetrics evaluate(Path bundle, Path data, WeightSettings settings, Path sourceWeights,
                                                 int batch, boolean progress) throws IOException {
        SvmModel model = SvmModel.load(bundle);
        String adapterId = model.codesInfo().adapterId();
        if (adapterId == null) {
            throw new InvalidInputException(bundle + " was fitted on codes of unknown origin (a CSV): it can classify"
                    + " codes, not images; score codes with ./tl4j svm --test");
        }
        AdapterSpec spec = CnnCodes.adapter(adapterId);
        CnnCodes extractor;
        if (sourceWeights != null) {
            extractor = extractorFromRun(spec, sourceWeights);
        } else if (spec.hasWeights()) {
            extractor = model.extractor(settings);
        } else {
            throw new InvalidInputException(bundle + " is an SVM on codes of a trained " + adapterId + " network:"
                    + " pass that network with --weights RUN/model.zip (the weights.file in its run.json)");
        }
        extractor.batchSize(batch).progress(progress);
        Codes codes = model.codesOf(data, extractor);
        return metrics(model, codes, data.getFileName() == null ? data.toString() : data.getFileName().toString());
    }

    /** Writes run.json atomically. */
    public static void write(Path out, RunRecord run) throws IOException {
        AtomicFiles.write(out.resolve(RunRecord.FILE_NAME), o -> JSON.writeValue(o, run));
    }

    /**
     * Metrics of hard predictions in the layout of the other strategies' metrics.json. A linear SVM gives no
     * probabilities: top-k is top-1 and the mean loss is NaN (not a number to compare with a network's loss).
     */
    public static ClassificationMetrics metrics(SvmModel model, Codes labelled, String split) {
        List<String> classes = model.classes();
        int[] truth = SvmModel.labelsInModelOrder(labelled, classes);
        int[] predicted = model.predict(labelled);
        int n = classes.size();
        int[][] confusion = new int[n][n];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        List<ClassificationMetrics.ClassScores> scores = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int support = 0;
            int asC = 0;
            for (int o = 0; o < n; o++) {
                support += confusion[c][o];
                asC += confusion[o][c];
            }
            double precision = asC == 0 ? 0 : confusion[c][c] / (double) asC;
            double recall = support == 0 ? 0 : confusion[c][c] / (double) support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores.add(new ClassificationMetrics.ClassScores(classes.get(c), precision, recall, f1, support));
        }
        double accuracy = truth.length == 0 ? Double.NaN : correct / (double) truth.length;
        return new ClassificationMetrics(split, truth.length, accuracy, 1, accuracy, Double.NaN, classes, scores,
                confusion);
    }

    private static RunRecord.SplitsProvenance splitsProvenance(Path out, Manifest manifest, Splits splits) {
        Map<String, Map<String, Integer>> perClass = new LinkedHashMap<>();
        splits.countsPerClass(manifest).forEach((cls, row) -> {
            Map<String, Integer> named = new LinkedHashMap<>();
            row.forEach((part, k) -> named.put(part.key(), k));
            perClass.put(cls, named);
        });
        return new RunRecord.SplitsProvenance(out.resolve(Splits.FILE_NAME).toAbsolutePath().toString(),
                splits.source().name().toLowerCase(Locale.ROOT), splits.seed(),
                splits.entries(manifest, Splits.Part.TRAIN).size(), splits.entries(manifest, Splits.Part.VAL).size(),
                splits.entries(manifest, Splits.Part.TEST).size(), perClass);
    }
}
