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
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Codes;
import org.tl4j.codes.CodesInfo;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.svm.SvmModel;
import org.tl4j.svm.SvmOptions;
import org.tl4j.svm.SvmTrainer;
import org.tl4j.train.TrainedModel;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * SVM on activations of a source that transfers: the resnet50-small the suite pretrains on the glyph set
 * ({@link GlyphSource}: 62 classes of characters from Debian's fonts, one epoch), then its codes of OpenCV's
 * handwritten digits with 10 training images per class. A linear SVM on those codes must beat a linear SVM on the raw
 * pixels of the same images clearly (by 5 points). C is chosen on a held-out share of the 100 training images for
 * both; the 1000 test images are scored once.
 */
class SvmOnGlyphCodesTest {

    @TempDir
    Path dir;

    @Test
    void glyphCodesBeatRawPixelsOnDigitsWithTenImagesPerClass() throws Exception {
        GlyphSource source = GlyphSource.get();
        Path digits = GlyphSource.digitsTenPerClass(dir);
        AdapterSpec spec = AdapterRegistry.standard().get(GlyphSource.MODEL);
        ComputationGraph graph = TrainedModel.load(source.model()).graph();

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
                        + " (C=%g), on raw pixels %.3f (C=%g); source %.4f on held-out fonts%n", codesAccuracy,
                onCodes.c(), pixelAccuracy, onPixels.c(), source.heldOutAccuracy());
        assertTrue(codesAccuracy > pixelAccuracy + 0.05, "codes " + codesAccuracy + " vs pixels " + pixelAccuracy);
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
