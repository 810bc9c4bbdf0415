package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.cli.Main;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesInfo;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.svm.SvmModel;
import org.tl4j.svm.SvmOptions;
import org.tl4j.svm.SvmTrainer;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * SVM on activations of a source that transfers: a resnet50-small pretrained here, briefly, with a plain DL4J fit on
 * a small glyph set (characters of Debian's fonts, 62 classes), then its codes of OpenCV's handwritten digits with
 * 10 training images per class. A linear SVM on those codes must beat a linear SVM on the raw pixels of the same
 * images clearly. C is chosen on a held-out share of the 100 training images for both; the 1000 test images are
 * scored once. (No shipped glyph-pretrained resnet50-small or fit command existed on main when this was written, so
 * the pretraining is this test's own short DL4J fit.)
 *
 * <p>Slow: DL4J trains resnet50-small at roughly 5 images per second per core here, so the two pretraining epochs
 * alone take several CPU-minutes, over the acceptance suite's budget. It runs only with {@code -Dtl4j.slow=true}:
 * {@code mvn -B -o -pl src-test -am verify -Dtest=SvmOnGlyphCodesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtl4j.slow=true}. A shipped glyph-pretrained resnet50-small would make it fast enough for every run.
 *
 * <p>Status (2026-11-27, 2 cores at load ~22): it FAILS. Two epochs on 1364 glyphs took 44 minutes and left the
 * network nearly untrained (training loss 4.99 then 3.91; chance is ln 62 = 4.13), and its avgpool codes scored
 * 0.307 on the digits' test part against 0.707 for raw pixels. It needs a properly pretrained glyph source (the
 * "sources" work), not a longer fit inside a test.
 */
@EnabledIfSystemProperty(named = "tl4j.slow", matches = "true")
class SvmOnGlyphCodesTest {

    private static final long SEED = 11;
    private static final int EPOCHS = 2;

    @TempDir
    Path dir;

    @Test
    void glyphCodesBeatRawPixelsOnDigitsWithTenImagesPerClass() throws IOException {
        Path glyphs = dir.resolve("glyphs");
        assertEquals(0, Main.run("datasets", "prepare", "glyphs", "--out", glyphs.toString(), "--max-fonts", "24",
                "--per-font", "1", "--seed", "3", "--quiet"));
        Path digits = dir.resolve("digits");
        assertEquals(0, Main.run("datasets", "prepare", "digits", "--out", digits.toString(), "--per-class", "10",
                "--test-fraction", "0.2", "--seed", "3", "--quiet"));

        AdapterSpec spec = AdapterRegistry.standard().get("resnet50-small");
        long start = System.nanoTime();
        ComputationGraph graph = pretrainOnGlyphs(spec, glyphs);
        double pretrainSeconds = (System.nanoTime() - start) / 1e9;

        Manifest digitManifest = ImageFolder.scan(digits);
        List<Manifest.Entry> train = part(digitManifest, "train");
        List<Manifest.Entry> test = part(digitManifest, "test");
        assertEquals(100, train.size());

        SvmOptions options = SvmOptions.defaults().withGrid(SvmOptions.logGrid(-12, 4, 2));
        CnnCodes codes = CnnCodes.of(spec, graph).tap("avgpool").l2Normalize(true)
                .cacheFolder(dir.resolve("cache")).progress(false);
        SvmModel onCodes = new SvmTrainer(options).fit(codes.extract(digitManifest, train), null);
        double codesAccuracy = onCodes.evaluate(codes.extract(digitManifest, test)).accuracy();

        SvmModel onPixels = new SvmTrainer(options).fit(pixels(digitManifest, train), null);
        double pixelAccuracy = onPixels.evaluate(pixels(digitManifest, test)).accuracy();

        System.out.printf(Locale.ROOT, "digits, 10 per class: SVM on glyph-pretrained resnet50-small avgpool codes %.3f"
                        + " (C=%g), on raw pixels %.3f (C=%g); pretraining %.0f s%n", codesAccuracy, onCodes.c(),
                pixelAccuracy, onPixels.c(), pretrainSeconds);
        assertTrue(codesAccuracy > pixelAccuracy + 0.05, "codes " + codesAccuracy + " vs pixels " + pixelAccuracy);
    }

    /** resnet50-small with a 62-way head, Adam, a few epochs on the glyphs' train part. */
    private static ComputationGraph pretrainOnGlyphs(AdapterSpec spec, Path glyphs) throws IOException {
        Manifest manifest = ImageFolder.scan(glyphs);
        List<Manifest.Entry> train = part(manifest, "train");
        ComputationGraph base = Architectures.build(spec, SEED);
        String head = spec.head().layer();
        ComputationGraph graph = new TransferLearning.GraphBuilder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(2e-3)).seed(SEED).build())
                .removeVertexAndConnections(head)
                .addLayer(head, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(spec.taps().stream().filter(t -> t.name().equals("avgpool")).findFirst().orElseThrow()
                                .shape()[0])
                        .nOut(manifest.classes().size()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                        .build(), "pool5")
                .setOutputs(head)
                .build();
        try (ImageFolderIterator images = ImageFolderIterator.of(manifest, train, spec.input(), 32, SEED)) {
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                long start = System.nanoTime();
                images.reset();
                graph.fit(images);
                System.out.printf(Locale.ROOT, "glyph pretraining epoch %d: %d images in %.0f s, loss %.3f%n",
                        epoch + 1, train.size(), (System.nanoTime() - start) / 1e9, graph.score());
            }
        }
        return graph;
    }

    private static List<Manifest.Entry> part(Manifest manifest, String split) {
        return manifest.okEntries().stream().filter(e -> split.equals(e.split())).toList();
    }

    /** Each image's gray levels (0..1) as one row, read with ImageIO, independent of tl4j's preprocessing. */
    private static Codes pixels(Manifest manifest, List<Manifest.Entry> entries) throws IOException {
        List<float[]> rows = new ArrayList<>();
        int[] labels = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            BufferedImage image = ImageIO.read(manifest.resolve(entries.get(i)).toFile());
            Raster raster = image.getRaster();
            float[] row = new float[image.getWidth() * image.getHeight()];
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    row[y * image.getWidth() + x] = raster.getSample(x, y, 0) / 255f;
                }
            }
            rows.add(row);
            labels[i] = manifest.classes().indexOf(entries.get(i).label());
        }
        int d = rows.get(0).length;
        float[] values = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, values, i * d, d);
        }
        return new Codes(CodesInfo.unknownOrigin(manifest.classes()), rows.size(), d, values, labels,
                entries.stream().map(Manifest.Entry::path).toList());
    }
}
