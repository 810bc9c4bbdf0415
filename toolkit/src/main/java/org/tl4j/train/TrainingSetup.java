package org.tl4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.InvalidInputException;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.load.PretrainedModel;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Everything a run decides before its first update, as a pure function of its {@link FitOptions} (and the files
 * they name): the data and its splits, the starting weights, the network with its new head, the learning-rate plan
 * and the BatchNorm mode. {@code --dry-run} prints it; {@link TransferTraining} trains it.
 *
 * @param options   the settings
 * @param adapter   the adapter as registered
 * @param manifest  the scanned image folder
 * @param splits    train/val/test
 * @param train     usable train entries
 * @param val       usable validation entries
 * @param test      usable test entries
 * @param weights   where the starting weights came from
 * @param surgery   the network with its new head, and its adapted descriptor
 * @param freeze    the freeze point in force
 * @param plan      per-layer multipliers; its base rate is the given rate (a placeholder with {@code --lr auto})
 * @param structured the network with the plan's BatchNorm mode applied, not yet given updaters
 */
record TrainingSetup(FitOptions options, AdapterSpec adapter, Manifest manifest, Splits splits,
                     List<Manifest.Entry> train, List<Manifest.Entry> val, List<Manifest.Entry> test,
                     RunRecord.WeightsProvenance weights, HeadSurgery.Result surgery, FreezePoint freeze, LrPlan plan,
                     ComputationGraph structured) {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSetup.class);

    /**
     * Prepares a run.
     *
     * @param splitsFolder where splits.json is reused or saved ({@link Splits#loadOrCreate}); null to make the
     *                     splits in memory only (dry run, lr-find)
     * @param loadWeights  false to skip loading pretrained weights (a dry run needs only the architecture)
     */
    static TrainingSetup prepare(FitOptions options, WeightSettings weightSettings, Path splitsFolder,
                                 boolean loadWeights, boolean progress) throws IOException {
        AdapterSpec adapter = adapter(options.model());
        if (!Files.isDirectory(options.data())) {
            throw new InvalidInputException("--data " + options.data() + " is not a folder: pass an image folder"
                    + " with one sub-folder per class");
        }
        Manifest manifest = ImageFolder.scan(options.data(), ScanOptions.defaults().withProgress(progress));
        if (manifest.classes().size() < 2) {
            throw new InvalidInputException(options.data() + " has " + manifest.classes().size() + " class folder(s)"
                    + " with usable images: training needs at least 2 classes, one sub-folder each");
        }
        Splits splits = splitsFolder == null ? Splits.of(manifest, options.fractions(), options.seed())
                : Splits.loadOrCreate(splitsFolder, manifest, options.fractions(), options.seed()).splits();
        List<Manifest.Entry> train = splits.entries(manifest, Splits.Part.TRAIN);
        List<Manifest.Entry> val = splits.entries(manifest, Splits.Part.VAL);
        List<Manifest.Entry> test = splits.entries(manifest, Splits.Part.TEST);
        if (train.isEmpty() || val.isEmpty() || test.isEmpty()) {
            throw new InvalidInputException(options.data() + " splits into " + train.size() + " train, " + val.size()
                    + " validation and " + test.size() + " test images: each split needs images; add images (a"
                    + " few per class at least) or change --split");
        }

        StartingGraph start = startingGraph(options, adapter, weightSettings, loadWeights);
        HeadSpecification head = HeadSpecification.linear(manifest.classes().size()).withSeed(options.seed());
        if (options.tap() != null) {
            head = head.atTap(options.tap());
        }
        HeadSurgery.Result surgery = HeadSurgery.apply(start.graph(), adapter, head);
        List<String> trainable = trainableLayers(surgery.graph());
        double rate = options.learningRate() == null ? FitOptions.defaultRate(options.optimizer())
                : options.learningRate();
        AdapterSpec spec = surgery.spec();
        FreezePoint freeze;
        LrPlan plan;
        switch (options.strategy()) {
            case SCRATCH -> {
                String allOnes = spec.groups().stream().map(g -> g.name() + "=1").collect(Collectors.joining(","));
                plan = LrPlan.of(spec, trainable, rate, allOnes, Optional.empty());
                freeze = FreezePoint.NONE;
            }
            case FEATURE_EXTRACTOR -> {
                plan = LrPlan.of(spec, trainable, rate, options.lrMult(), Optional.ofNullable(options.discriminative()));
                freeze = new FreezePoint(FreezePoint.Kind.TAP, surgery.tap().name());
                plan = freeze.applyTo(plan, surgery.graph(), spec);
            }
            default -> {
                plan = LrPlan.of(spec, trainable, rate, options.lrMult(), Optional.ofNullable(options.discriminative()));
                freeze = freezePoint(options.freezeTo(), surgery.graph(), spec);
                if (freeze.kind() != FreezePoint.Kind.NONE) {
                    plan = freeze.applyTo(plan, surgery.graph(), spec);
                }
            }
        }
        ComputationGraph structured = options.effectiveBatchNorm().apply(surgery.graph(), plan);
        return new TrainingSetup(options, adapter, manifest, splits, train, val, test, start.provenance(), surgery,
                freeze, plan, structured);
    }

    /** The layers with parameters, in the graph's order. */
    static List<String> trainableLayers(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (int index : graph.topologicalSortOrder()) {
            var vertex = graph.getVertices()[index];
            if (vertex.hasLayer() && vertex.getLayer().numParams() > 0) {
                names.add(vertex.getVertexName());
            }
        }
        return names;
    }

    static AdapterSpec adapter(String id) throws IOException {
        try {
            return AdapterRegistry.standard().get(id);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage() + " (./tl4j zoo list shows the adapters)", e);
        }
    }

    /**
     * {@code none}, {@code tap:X}/{@code group:X}/{@code layer:X}, or a bare name looked up as a tap, then a group,
     * then a layer.
     */
    static FreezePoint freezePoint(String text, ComputationGraph graph, AdapterSpec spec) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
            return FreezePoint.NONE;
        }
        String name = text.strip();
        if (name.contains(":")) {
            return FreezePoint.parse(name);
        }
        if (spec.tap(name).isPresent()) {
            return new FreezePoint(FreezePoint.Kind.TAP, name);
        }
        if (spec.groups().stream().anyMatch(g -> g.name().equals(name))) {
            return new FreezePoint(FreezePoint.Kind.GROUP, name);
        }
        if (graph.getVertex(name) != null) {
            return new FreezePoint(FreezePoint.Kind.LAYER, name);
        }
        throw new InvalidInputException("--freeze-to " + name + ": " + spec.id() + " has no tap, group or layer of"
                + " that name; taps: " + spec.taps().stream().map(Tap::name).collect(Collectors.joining(", "))
                + "; groups: " + spec.groups().stream().map(LayerGroup::name).collect(Collectors.joining(", ")));
    }

    private record StartingGraph(ComputationGraph graph, RunRecord.WeightsProvenance provenance) {
    }

    private static StartingGraph startingGraph(FitOptions options, AdapterSpec adapter, WeightSettings settings,
                                               boolean loadWeights) throws IOException {
        if (options.strategy() == Strategy.SCRATCH) {
            ComputationGraph graph = Architectures.build(adapter, options.seed());
            return new StartingGraph(graph, new RunRecord.WeightsProvenance("untrained", null,
                    FeatureCacheKey.weightsHash(graph)));
        }
        if (options.sourceWeights() != null) {
            return fromSourceModel(options, adapter);
        }
        if (adapter.hasWeights() && loadWeights) {
            PretrainedModel loaded = new AdapterLoader(settings).load(adapter);
            return new StartingGraph(loaded.graph(), new RunRecord.WeightsProvenance("pretrained",
                    loaded.weights().file().toString(), loaded.weights().sha256()));
        }
        ComputationGraph graph = Architectures.build(adapter, options.seed());
        if (adapter.hasWeights()) {
            return new StartingGraph(graph, new RunRecord.WeightsProvenance("pretrained (not loaded)", null, null));
        }
        LOG.warn("adapter {} has no pretrained weights: {} starts from a seeded random initialisation (seed {});"
                + " pass --weights SOURCE/model.zip to start from a model tl4j trained", adapter.id(),
                options.strategy(), options.seed());
        return new StartingGraph(graph, new RunRecord.WeightsProvenance("untrained", null,
                FeatureCacheKey.weightsHash(graph)));
    }

    /**
     * The adapter's graph with every layer that a tl4j model of the same adapter has (same name, same parameter
     * shapes) copied from it; its head is not copied (this run puts its own there).
     */
    private static StartingGraph fromSourceModel(FitOptions options, AdapterSpec adapter) throws IOException {
        Path file = options.sourceWeights();
        TrainedModel source = TrainedModel.load(file);
        if (!source.metadata().adapterId().equals(adapter.id())) {
            throw new InvalidInputException("--weights " + file + " is a " + source.metadata().adapterId()
                    + " model, not " + adapter.id() + ": pass --model " + source.metadata().adapterId());
        }
        ComputationGraph graph = Architectures.build(adapter, options.seed());
        int copied = 0;
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0 || name.startsWith(HeadSurgery.NEW_LAYER_PREFIX)
                    || source.graph().getVertex(name) == null || !source.graph().getVertex(name).hasLayer()) {
                continue;
            }
            Layer from = source.graph().getLayer(name);
            if (java.util.Arrays.equals(from.params().shape(), layer.params().shape())) {
                layer.setParams(from.params().dup());
                copied++;
            }
        }
        if (copied == 0) {
            throw new InvalidInputException("--weights " + file + " shares no layer with " + adapter.id()
                    + "'s graph: it was not trained from this adapter");
        }
        LOG.info("{} layers copied from {}", copied, file);
        return new StartingGraph(graph, new RunRecord.WeightsProvenance("source-model", file.toAbsolutePath()
                .toString(), sha256(file)));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
