package org.tl4j.svm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesInfo;
import org.tl4j.codes.Pooling;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * A linear classifier on CNN codes, with everything needed to apply it to images: the codes' settings (adapter,
 * weights, tap, pooling, normalisation), the scaler fitted on the training codes, the LIBLINEAR model, the class
 * names, and how C was chosen. Saved as a zip of plain text ({@code svm.json} and LIBLINEAR's own model text
 * {@code liblinear.model}); nothing is Java-serialised.
 */
public final class SvmModel {

    /** Version of the bundle layout. */
    public static final int FORMAT_VERSION = 1;
    static final String META_ENTRY = "svm.json";
    static final String MODEL_ENTRY = "liblinear.model";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One C tried: its validation score (accuracy, or balanced accuracy with class weights). */
    public record Trial(double c, double valScore) {
    }

    private final CodesInfo codes;
    private final LinearSolver solver;
    private final double c;
    private final boolean classWeights;
    private final Standardizer scaler;
    private final Model model;
    private final List<Trial> trials;
    private final String validation;

    SvmModel(CodesInfo codes, LinearSolver solver, double c, boolean classWeights, Standardizer scaler, Model model,
             List<Trial> trials, String validation) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.solver = Objects.requireNonNull(solver, "solver");
        this.c = c;
        this.classWeights = classWeights;
        this.scaler = Objects.requireNonNull(scaler, "scaler");
        this.model = Objects.requireNonNull(model, "model");
        this.trials = List.copyOf(trials);
        this.validation = validation;
    }

    /** The codes' settings; {@code classes()} are the model's classes. */
    public CodesInfo codesInfo() {
        return codes;
    }

    /** The model's class names. */
    public List<String> classes() {
        return codes.classes();
    }

    /** The solver. */
    public LinearSolver solver() {
        return solver;
    }

    /** The chosen C. */
    public double c() {
        return c;
    }

    /** Whether classes were weighted. */
    public boolean classWeights() {
        return classWeights;
    }

    /** The scaler. */
    public Standardizer scaler() {
        return scaler;
    }

    /** Every C tried, in grid order. */
    public List<Trial> trials() {
        return trials;
    }

    /** What C was chosen on (the validation codes' description). */
    public String validation() {
        return validation;
    }

    /** Predicted class index (into {@link #classes()}) of each row. */
    public int[] predict(Codes input) {
        checkCompatible(input);
        int[] out = new int[input.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Linear.predict(model, LinearProblems.row(scaler, input, i));
        }
        return out;
    }

    /**
     * One score per class of {@link #classes()} for a row: LIBLINEAR's decision values for the SVM solver, class
     * probabilities for logistic regression; the predicted class has the highest score. A class absent from the
     * training codes scores negative infinity (SVM) or 0 (probability).
     */
    public float[] scores(Codes input, int row) {
        checkCompatible(input);
        de.bwaldvogel.liblinear.Feature[] x = LinearProblems.row(scaler, input, row);
        int[] labels = model.getLabels();
        double[] values = new double[labels.length];
        boolean probability = solver == LinearSolver.LOGISTIC;
        if (probability) {
            Linear.predictProbability(model, x, values);
        } else {
            Linear.predictValues(model, x, values);
        }
        float[] out = new float[classes().size()];
        java.util.Arrays.fill(out, probability ? 0f : Float.NEGATIVE_INFINITY);
        if (!probability && labels.length == 2) {
            // Two classes: LIBLINEAR gives one decision value, positive for its first label.
            out[labels[0]] = (float) values[0];
            out[labels[1]] = (float) -values[0];
        } else {
            for (int k = 0; k < labels.length; k++) {
                out[labels[k]] = (float) values[k];
            }
        }
        return out;
    }

    /** What {@link #scores} are: {@code probability} or {@code decision-value}. */
    public String scoreKind() {
        return solver == LinearSolver.LOGISTIC ? "probability" : "decision-value";
    }

    /** Predicted class name of each row. */
    public List<String> predictClasses(Codes input) {
        List<String> names = new ArrayList<>();
        for (int k : predict(input)) {
            names.add(classes().get(k));
        }
        return names;
    }

    /** Accuracy and balanced accuracy on labelled codes (their class names matched to the model's). */
    public Evaluation evaluate(Codes labelled) {
        int[] truth = labelsInModelOrder(labelled, classes());
        return Evaluation.of(truth, predict(labelled), classes().size());
    }

    /**
     * Predicted class names of the images in a folder (or CSV manifest), codes computed by {@code extractor}, which
     * must be this model's network ({@link #extractor(WeightSettings)} for an adapter with pretrained weights,
     * {@code CnnCodes.of(spec, graph)} for a graph trained elsewhere).
     */
    public List<String> predict(Path images, CnnCodes extractor) throws IOException {
        return predictClasses(codesOf(images, extractor));
    }

    /** Accuracy of the model on a labelled image folder, end to end from the images. */
    public Evaluation evaluate(Path images, CnnCodes extractor) throws IOException {
        return evaluate(codesOf(images, extractor));
    }

    /** The codes of images, extracted as this model expects (tap, pooling, normalisation). */
    public Codes codesOf(Path images, CnnCodes extractor) throws IOException {
        configure(extractor);
        Manifest manifest = ImageFolder.scan(images, ScanOptions.defaults().withProgress(false));
        return extractor.extract(manifest, manifest.okEntries());
    }

    /** The extractor for an adapter with pretrained weights, set up as this model expects. */
    public CnnCodes extractor(WeightSettings settings) throws IOException {
        if (codes.adapterId() == null) {
            throw new InvalidInputException("this model was fitted on codes of unknown origin (a CSV): it can classify"
                    + " codes, not images; extract codes with ./tl4j extract --format npy to keep their origin");
        }
        return configure(CnnCodes.of(codes.adapterId(), settings));
    }

    /** Sets {@code extractor} up as this model expects (tap, pooling, normalisation) and checks its weights. */
    public CnnCodes configure(CnnCodes extractor) {
        if (codes.adapterId() == null || codes.tap() == null) {
            throw new InvalidInputException("this model was fitted on codes of unknown origin (a CSV): it can classify"
                    + " codes, not images");
        }
        if (!extractor.spec().id().equals(codes.adapterId())) {
            throw new InvalidInputException("this model needs codes of adapter '" + codes.adapterId() + "', not '"
                    + extractor.spec().id() + "'");
        }
        extractor.tap(codes.tap()).pooling(codes.pooling()).l2Normalize(codes.l2Normalized())
                .signedSqrt(codes.signedSqrt());
        String weights = extractor.info(codes.classes()).weightsSha256();
        if (codes.weightsSha256() != null && !codes.weightsSha256().equals(weights)) {
            throw new InvalidInputException("this model was fitted on codes of weights " + codes.weightsSha256()
                    + ", the network given has weights " + weights + ": pass the same graph the codes came from");
        }
        return extractor;
    }

    private void checkCompatible(Codes input) {
        if (input.dim() != scaler.dim()) {
            throw new InvalidInputException("codes have " + input.dim() + " values per image, the model expects "
                    + scaler.dim() + " (" + codes.describe() + ")");
        }
        CodesInfo in = input.info();
        if (in.adapterId() != null && codes.adapterId() != null && (!in.adapterId().equals(codes.adapterId())
                || !Objects.equals(in.layer(), codes.layer()) || in.pooling() != codes.pooling()
                || in.l2Normalized() != codes.l2Normalized() || in.signedSqrt() != codes.signedSqrt())) {
            throw new InvalidInputException("codes are " + in.describe() + ", the model was fitted on "
                    + codes.describe() + ": extract them with the same settings");
        }
    }

    /** Each row's label as an index into {@code classes}, matched by name. */
    static int[] labelsInModelOrder(Codes labelled, List<String> classes) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        int[] out = new int[labelled.rows()];
        for (int i = 0; i < out.length; i++) {
            String name = labelled.info().classes().get(labelled.label(i));
            Integer k = index.get(name);
            if (k == null) {
                throw new InvalidInputException("class '" + name + "' (image " + labelled.path(i) + ") is not one of"
                        + " the model's classes " + classes);
            }
            out[i] = k;
        }
        return out;
    }

    /** Writes the bundle atomically. */
    public void save(Path file) throws IOException {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("format", "tl4j-svm");
        meta.put("version", FORMAT_VERSION);
        meta.set("codes", JSON.valueToTree(codes));
        meta.put("solver", solver.name());
        meta.put("c", c);
        meta.put("classWeights", classWeights);
        meta.put("validation", validation);
        ArrayNode trialNodes = meta.putArray("trials");
        for (Trial t : trials) {
            trialNodes.addObject().put("c", t.c()).put("valScore", t.valScore());
        }
        ArrayNode mean = meta.putArray("scalerMean");
        ArrayNode std = meta.putArray("scalerStd");
        for (float v : scaler.mean()) {
            mean.add(v);
        }
        for (float v : scaler.std()) {
            std.add(v);
        }
        ByteArrayOutputStream modelText = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(modelText, StandardCharsets.UTF_8)) {
            model.save(w);
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(META_ENTRY));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(MODEL_ENTRY));
            zip.write(modelText.toByteArray());
            zip.closeEntry();
            zip.finish();
        });
    }

    /** Reads a bundle written by {@link #save}. */
    public static SvmModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("SVM model " + file + " does not exist: fit one with ./tl4j svm");
        }
        byte[] metaBytes = null;
        byte[] modelBytes = null;
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(META_ENTRY)) {
                    metaBytes = zip.readAllBytes();
                } else if (e.getName().equals(MODEL_ENTRY)) {
                    modelBytes = zip.readAllBytes();
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new InvalidInputException(file + " is not a readable zip (" + e.getMessage() + "): fit the model"
                    + " again with ./tl4j svm", e);
        }
        if (metaBytes == null || modelBytes == null) {
            throw new InvalidInputException(file + " lacks " + META_ENTRY + " or " + MODEL_ENTRY + ": not an SVM model"
                    + " bundle written by ./tl4j svm");
        }
        try {
            JsonNode meta = JSON.readTree(metaBytes);
            if (!"tl4j-svm".equals(meta.path("format").asText()) || meta.path("version").asInt() != FORMAT_VERSION) {
                throw new InvalidInputException(file + " is not a version " + FORMAT_VERSION + " tl4j SVM bundle");
            }
            CodesInfo info = JSON.treeToValue(meta.get("codes"), CodesInfo.class);
            float[] mean = floats(meta.get("scalerMean"));
            float[] std = floats(meta.get("scalerStd"));
            List<Trial> trials = new ArrayList<>();
            for (JsonNode t : meta.path("trials")) {
                trials.add(new Trial(t.get("c").asDouble(), t.get("valScore").asDouble()));
            }
            Model model = Model.load(new InputStreamReader(new java.io.ByteArrayInputStream(modelBytes),
                    StandardCharsets.UTF_8));
            if (model.getNrFeature() != mean.length || model.getNrClass() > info.classes().size()) {
                throw new InvalidInputException(file + ": the LIBLINEAR model has " + model.getNrFeature()
                        + " features and " + model.getNrClass() + " classes, the bundle " + mean.length + " and "
                        + info.classes().size() + ": damaged");
            }
            return new SvmModel(info, LinearSolver.valueOf(meta.get("solver").asText()), meta.get("c").asDouble(),
                    meta.path("classWeights").asBoolean(), new Standardizer(mean, std), model, trials,
                    meta.path("validation").asText());
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException) {
                throw e;
            }
            throw new InvalidInputException(file + " is damaged (" + e.getMessage() + "): fit the model again with"
                    + " ./tl4j svm", e);
        }
    }

    private static float[] floats(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("scaler statistics missing");
        }
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** Pooling as recorded (for reports). */
    public Pooling pooling() {
        return codes.pooling();
    }
}
