package org.tl4j.codes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.train.FeatureCache;
import org.tl4j.train.FeatureCacheKey;
import org.tl4j.train.FeatureFile;
import org.tl4j.train.FeatureFileCorruptException;
import org.tl4j.train.FeatureTrunk;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.load.PretrainedModel;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Extracts CNN codes: the activation of a pretrained network at a tap, pooled to one vector per image, optionally
 * signed-square-rooted and L2-normalised. Images go through in batches; pooled codes are streamed to the
 * featurize cache ({@link CodesCache}) and reused while model, weights, tap, pooling, preprocessing and images stay
 * the same.
 *
 * <pre>{@code
 * Codes codes = CnnCodes.of("resnet50-dl4j.imagenet").tap("res4f").pooling(Pooling.AVG_MAX).l2Normalize(true)
 *         .extract(Path.of("photos"));
 * }</pre>
 * Not thread-safe; one instance per extraction setting.
 */
public final class CnnCodes {

    private static final Logger LOG = LoggerFactory.getLogger(CnnCodes.class);
    /** Seconds between progress lines. */
    private static final double PROGRESS_SECONDS = 10;
    /** Images per batch unless set. */
    public static final int DEFAULT_BATCH = 32;

    private final AdapterSpec spec;
    private final ComputationGraph graph;
    private final String weightsSha256;
    private String tap;
    private Pooling pooling = Pooling.AVG;
    private boolean l2;
    private boolean signedSqrt;
    private int batch = DEFAULT_BATCH;
    private Path cacheFolder = FeatureCache.defaultFolder();
    private boolean progress = true;
    private CodeEngine engine;
    private String featureMapLayer;
    private boolean featureMap;

    private CnnCodes(AdapterSpec spec, ComputationGraph graph, String weightsSha256) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.graph = graph;
        this.weightsSha256 = weightsSha256;
        this.tap = spec.defaultTapSpec().name();
    }

    /**
     * Codes of an adapter's pretrained network, its weights loaded (and downloaded once) as {@code ./tl4j zoo
     * fetch} does.
     *
     * @throws InvalidInputException when the id is unknown or the adapter has no pretrained weights
     */
    public static CnnCodes of(String adapterId) throws IOException {
        return of(adapterId, WeightSettings.fromEnvironment());
    }

    /** As {@link #of(String)}, weights cached as {@code settings} say. */
    public static CnnCodes of(String adapterId, WeightSettings settings) throws IOException {
        AdapterSpec spec = adapter(adapterId);
        if (!spec.hasWeights()) {
            throw new InvalidInputException("adapter '" + adapterId + "' has no pretrained weights: pass a trained"
                    + " graph (CnnCodes.of(spec, graph), or --graph FILE on the command line)");
        }
        return of(new AdapterLoader(settings).load(spec));
    }

    /**
     * Codes of a graph saved by DL4J ({@code ModelSerializer}, e.g. a small adapter trained elsewhere) that was
     * built for the adapter (its layer names).
     */
    public static CnnCodes of(AdapterSpec spec, Path graphFile) throws IOException {
        if (!Files.isRegularFile(graphFile)) {
            throw new InvalidInputException("graph file " + graphFile + " does not exist: pass a DL4J model zip"
                    + " saved with ModelSerializer");
        }
        ComputationGraph graph;
        try {
            graph = org.tl4j.zoo.safety.SafeModelLoader.standard().restoreComputationGraph(graphFile, false);
        } catch (org.tl4j.zoo.safety.ModelFileRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(graphFile + " is not a DL4J ComputationGraph zip (" + e.getMessage()
                    + "): save the graph with ModelSerializer.writeModel", e);
        }
        return of(spec, graph);
    }

    /**
     * Codes of the adapter's architecture with untrained, seeded weights: meaningless as features, but the same
     * cost, for throughput measurements and tests.
     */
    public static CnnCodes untrained(AdapterSpec spec, long seed) {
        return of(spec, org.tl4j.zoo.arch.Architectures.build(spec, seed));
    }

    /** Codes of a loaded pretrained model. */
    public static CnnCodes of(PretrainedModel model) {
        return new CnnCodes(model.spec(), model.graph(), model.weights().sha256());
    }

    /**
     * Codes of a graph built for an adapter (for example a small adapter trained in this JVM); its weights are
     * identified by a hash of its parameters.
     */
    public static CnnCodes of(AdapterSpec spec, ComputationGraph graph) {
        return new CnnCodes(spec, Objects.requireNonNull(graph, "graph"), FeatureCacheKey.weightsHash(graph));
    }

    /** The adapter with this id from the standard registry, as a user error when unknown. */
    public static AdapterSpec adapter(String adapterId) throws IOException {
        try {
            return AdapterRegistry.standard().get(adapterId);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
    }

    /** The tap to read: one of the adapter's taps ({@code ./tl4j zoo info ID}) or a graph layer name. */
    public CnnCodes tap(String tapOrLayer) {
        this.tap = Objects.requireNonNull(tapOrLayer, "tap");
        return this;
    }

    /** How feature maps are pooled (default {@link Pooling#AVG}); no effect on dense taps. */
    public CnnCodes pooling(Pooling pooling) {
        this.pooling = Objects.requireNonNull(pooling, "pooling");
        return this;
    }

    /** Scale each code to unit L2 norm (after the signed square root). */
    public CnnCodes l2Normalize(boolean on) {
        this.l2 = on;
        return this;
    }

    /** Apply {@code sign(x) sqrt(|x|)} to each value. */
    public CnnCodes signedSqrt(boolean on) {
        this.signedSqrt = on;
        return this;
    }

    /** Images per batch (default {@value #DEFAULT_BATCH}). */
    public CnnCodes batchSize(int images) {
        if (images <= 0) {
            throw new InvalidInputException("batch size must be positive, got " + images);
        }
        this.batch = images;
        return this;
    }

    /** The cache folder (default {@link FeatureCache#defaultFolder()}). */
    public CnnCodes cacheFolder(Path folder) {
        this.cacheFolder = Objects.requireNonNull(folder, "folder");
        return this;
    }

    /** Whether to log progress lines while extracting (default on). */
    public CnnCodes progress(boolean on) {
        this.progress = on;
        return this;
    }

    /** Runs the network through this engine instead of DL4J; it must read the tap's layer. */
    public CnnCodes engine(CodeEngine other) {
        this.engine = Objects.requireNonNull(other, "engine");
        return this;
    }

    /** The adapter. */
    public AdapterSpec spec() {
        return spec;
    }

    /** The DL4J graph the codes come from (for opening another engine on it). */
    public ComputationGraph graph() {
        return graph;
    }

    /** The SHA-256 identifying the weights (part of the codes cache key). */
    public String weightsSha256() {
        return weightsSha256;
    }

    /** The graph layer the tap names. */
    public String layer() {
        return FeatureTrunk.resolveCut(spec, tap);
    }

    /** The settings as they will be recorded, with these class names. */
    public CodesInfo info(List<String> classes) {
        return new CodesInfo(spec.id(), engine().weightsSha256(), tap, layer(), pooling, l2, signedSqrt, classes);
    }

    /**
     * Codes of every usable image of a folder (or CSV manifest), rows in manifest order; a folder with a
     * train/val/test layout gives all three parts (use {@link #extract(Manifest, Splits, Splits.Part)} for one).
     */
    public Codes extract(Path data) throws IOException {
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(progress));
        return extract(manifest, manifest.okEntries());
    }

    /** Codes of one part of a split. */
    public Codes extract(Manifest manifest, Splits splits, Splits.Part part) throws IOException {
        return extract(manifest, splits.entries(manifest, part));
    }

    /** Codes of the given usable entries of a manifest, in their order. */
    public Codes extract(Manifest manifest, List<Manifest.Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            throw new InvalidInputException(manifest.root() + " has no usable images to extract codes from");
        }
        CodeEngine e = engine();
        String layer = e.layer();
        Pooling effective = isFeatureMap(e) ? pooling : Pooling.AVG;
        FeatureCacheKey key = new FeatureCacheKey(spec.id(), e.weightsSha256(), layer, false, spec.input(),
                FeatureCacheKey.dataHash(manifest, entries));
        CodesCache.Entry entry = new CodesCache(cacheFolder).entry(key, effective);
        FeatureFile file = openCached(entry, entries.size());
        if (file == null) {
            compute(manifest, entries, e, effective, entry);
            file = FeatureFile.open(entry.file(), entry.keyText());
        }
        try (FeatureFile features = file) {
            int n = features.rows();
            int d = features.featureLength();
            float[] values = new float[Math.multiplyExact(n, d)];
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                features.readRow(r, values, r * d);
                labels[r] = features.label(r);
            }
            CodeNormalisation.apply(values, n, d, signedSqrt, l2);
            CodesInfo info = new CodesInfo(spec.id(), e.weightsSha256(), tap, layer, effective, l2, signedSqrt,
                    manifest.classes());
            return new Codes(info, n, d, values, labels, entries.stream().map(Manifest.Entry::path).toList());
        }
    }

    /**
     * The code of one decoded image, prepared as the adapter says and pooled and normalised as set here; no cache
     * (a single image is cheaper to run than to hash and look up). Rows match {@link #extract} for the same image.
     */
    public Codes extract(org.tl4j.data.DecodedImage image, String path, List<String> classes) {
        CodeEngine e = engine();
        Pooling effective = isFeatureMap(e) ? pooling : Pooling.AVG;
        org.tl4j.data.ImagePreprocessor preprocessor = new org.tl4j.data.ImagePreprocessor(spec.input());
        INDArray batch = Nd4j.create(preprocessor.toChw(image), 1, spec.input().channels(), spec.input().height(),
                spec.input().width());
        INDArray raw = e.activations(batch);
        INDArray pooled = effective.apply(raw);
        float[] values = pooled.reshape(1, -1).toFloatVector();
        release(raw, pooled, batch);
        CodeNormalisation.apply(values, 1, values.length, signedSqrt, l2);
        CodesInfo info = new CodesInfo(spec.id(), e.weightsSha256(), tap, layer(), effective, l2, signedSqrt, classes);
        return new Codes(info, 1, values.length, values, new int[1], List.of(path));
    }

    private CodeEngine engine() {
        if (engine == null) {
            if (graph == null) {
                throw new IllegalStateException("no graph and no engine");
            }
            engine = new Dl4jCodeEngine(graph, layer(), weightsSha256);
        } else if (!engine.layer().equals(layer())) {
            throw new InvalidInputException("the engine reads layer '" + engine.layer() + "' but tap '" + tap
                    + "' is layer '" + layer() + "': make the engine for that layer");
        }
        return engine;
    }

    /** Whether the layer gives feature maps (rank 3 or 4), found from one blank image once per layer. */
    private boolean isFeatureMap(CodeEngine e) {
        // Remembered per layer: predict asks once per image, and the blank pass costs as much as the image.
        if (!e.layer().equals(featureMapLayer)) {
            featureMap = probeFeatureMap(e);
            featureMapLayer = e.layer();
        }
        return featureMap;
    }

    private boolean probeFeatureMap(CodeEngine e) {
        INDArray blank = Nd4j.zeros(DataType.FLOAT, 1, spec.input().channels(), spec.input().height(),
                spec.input().width());
        INDArray out = e.activations(blank);
        boolean map = out.rank() > 2;
        blank.close();
        out.close();
        return map;
    }

    private static FeatureFile openCached(CodesCache.Entry entry, int rows) throws IOException {
        if (!Files.exists(entry.file())) {
            return null;
        }
        try {
            FeatureFile cached = FeatureFile.open(entry.file(), entry.keyText());
            if (cached.rows() == rows) {
                return cached;
            }
            cached.close();
            LOG.warn("{} holds {} rows, the images are {}; recomputing it", entry.file(), cached.rows(), rows);
        } catch (FeatureFileCorruptException ex) {
            LOG.warn("{}; recomputing it", ex.getMessage());
        }
        Files.deleteIfExists(entry.file());
        return null;
    }

    private void compute(Manifest manifest, List<Manifest.Entry> entries, CodeEngine e, Pooling effective,
                         CodesCache.Entry entry) throws IOException {
        int total = entries.size();
        long start = System.nanoTime();
        long lastLog = start;
        try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, entries, spec.input(), batch);
             FeatureFile.Writer writer = FeatureFile.create(entry.file(), entry.keyText(),
                     manifest.classes().size())) {
            while (images.hasNext()) {
                DataSet ds = images.next();
                INDArray raw = e.activations(ds.getFeatures());
                INDArray pooled = effective.apply(raw);
                writer.append(pooled, labelIndices(ds.getLabels()));
                // Off-heap buffers freed now: left to the GC they pile up until allocations wait for System.gc().
                release(raw, pooled, ds.getFeatures(), ds.getLabels());
                long now = System.nanoTime();
                if (progress && (now - lastLog) / 1e9 >= PROGRESS_SECONDS) {
                    lastLog = now;
                    double s = (now - start) / 1e9;
                    LOG.info(String.format(Locale.ROOT, "codes at %s: %d/%d images, %.1f images/s, about %.0f s"
                            + " left", tap, writer.rows(), total, writer.rows() / s,
                            (total - writer.rows()) / Math.max(writer.rows() / s, 1e-9)));
                }
            }
            if (writer.rows() != total) {
                throw new IllegalStateException("the image iterator gave " + writer.rows() + " images, expected "
                        + total);
            }
            writer.commit();
        }
        double s = (System.nanoTime() - start) / 1e9;
        if (progress) {
            LOG.info(String.format(Locale.ROOT, "codes of %d images at %s (%s, %s) in %.1f s, %.1f images/s -> %s",
                    total, tap, e.layer(), effective.cliName(), s, total / s, entry.file()));
        }
    }

    private static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable() && !a.wasClosed()) {
                a.close();
            }
        }
    }

    private static int[] labelIndices(INDArray oneHot) {
        long[] argmax = oneHot.argMax(1).toLongVector();
        int[] labels = new int[argmax.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) argmax[i];
        }
        return labels;
    }
}
