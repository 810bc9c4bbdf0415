package org.tl4j.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.HeadSpec;
import org.tl4j.zoo.spec.InputSpec;

/**
 * The small training run the checkpoint tests interrupt and resume: a synthetic image folder (2 classes x 12 RGB
 * 16x16 PNGs), a CNN with BatchNorm (whose running statistics must be restored too) and no dropout, trained by
 * PlanApplier's Nesterov updaters (momentum state) on a step schedule (which depends on the iteration count),
 * reading the folder shuffled per epoch, 5 images a batch (the last batch of an epoch has 4).
 */
final class CheckpointTestRun {

    static final long SEED = 42;
    static final int BATCH = 5;
    static final int SIZE = 16;
    static final String SCHEDULE = "step:every=6,factor=0.5";
    static final double RATE = 0.05;

    private CheckpointTestRun() {
    }

    /** Class "bright" has light noisy pixels, class "dark" dark ones; pixel values from a seeded Random. */
    static void writeImageFolder(Path root) throws IOException {
        Random random = new Random(7);
        for (String label : List.of("bright", "dark")) {
            Path folder = Files.createDirectories(root.resolve(label));
            for (int i = 0; i < 12; i++) {
                BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
                int base = label.equals("bright") ? 140 : 20;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        int r = base + random.nextInt(96);
                        int g = base + random.nextInt(96);
                        int b = base + random.nextInt(96);
                        image.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(label + i + ".png").toFile());
            }
        }
    }

    static ImageFolderIterator iterator(Path root) throws IOException {
        return iterator(root, InputSpec.unitRange(SIZE, SIZE, InputSpec.ChannelOrder.RGB));
    }

    static ImageFolderIterator iterator(Path root, InputSpec input) throws IOException {
        Manifest manifest = ImageFolder.scan(root, ScanOptions.defaults().withProgress(false));
        return ImageFolderIterator.of(manifest, manifest.okEntries(), input, BATCH, SEED);
    }

    /** resnet50-small with a 2-class head, as the spec's groups and multipliers plan it, Nesterov momentum. */
    static ComputationGraph smallResNet() {
        AdapterSpec spec = resNetSpec();
        ComputationGraph graph = Architectures.build(spec, SEED);
        List<String> trainable = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                trainable.add(layer.conf().getLayer().getLayerName());
            }
        }
        LrPlan plan = LrPlan.of(spec, trainable, RATE, "", java.util.Optional.empty());
        return PlanApplier.apply(graph, plan, Schedules.parse(SCHEDULE, RATE), Optimizer.DEFAULT);
    }

    static AdapterSpec resNetSpec() {
        AdapterSpec base = AdapterRegistry.builtIn().get("resnet50-small");
        return new AdapterSpec(base.id(), base.description(), base.architecture(), base.input(),
                new HeadSpec(base.head().layer(), 2, base.head().classNames()), base.taps(), base.defaultTap(),
                base.groups(), base.weights());
    }

    /** The untrained graph, configured by PlanApplier with Nesterov momentum 0.9 and weight decay. */
    static ComputationGraph freshGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).graphBuilder()
                .addInputs("input")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build(),
                        "input")
                .addLayer("bn1", new BatchNormalization.Builder().activation(Activation.RELU).build(), "conv1")
                .addLayer("pool1", new SubsamplingLayer.Builder(2, 2).stride(2, 2).build(), "bn1")
                .addLayer("fc", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), "pool1")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(SIZE, SIZE, 3))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        List<String> layers = new ArrayList<>();
        Map<String, Double> multipliers = new LinkedHashMap<>();
        for (String layer : List.of("conv1", "bn1", "fc", "out")) {
            layers.add(layer);
            multipliers.put(layer, layer.equals("out") ? 1.0 : 0.5);
        }
        LrPlan plan = new LrPlan(RATE, List.of(new LrPlan.GroupRate("all", 1.0, layers)), multipliers);
        return PlanApplier.apply(graph, plan, Schedules.parse(SCHEDULE, RATE), Optimizer.DEFAULT);
    }

    /** Trains {@code graph} up to {@code totalUpdates} with no checkpoint code involved: the reference loop. */
    static void trainStraight(ComputationGraph graph, ImageFolderIterator data, long totalUpdates) {
        while (graph.getIterationCount() < totalUpdates) {
            if (!data.hasNext()) {
                data.reset();
                graph.incrementEpochCount();
                continue;
            }
            graph.fit(data.next());
        }
    }
}
