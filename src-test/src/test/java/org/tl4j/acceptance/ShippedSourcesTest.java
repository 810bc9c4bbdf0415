package org.tl4j.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.cli.Main;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.data.Manifest;
import org.tl4j.zoo.load.AdapterLoader;
import org.tl4j.zoo.load.PretrainedModel;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.TrainingProvenance;
import org.tl4j.zoo.spec.WeightSource;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * The source models tl4j ships (trained by recipes/pretrain-sources.sh): each loads through its zoo entry (the
 * {@code classpath:} weight file, checked against its SHA-256 on the way into the cache), and scores the held-out
 * accuracy its descriptor records, within half a point, on data remade by the recorded command.
 */
class ShippedSourcesTest {

    /** Half a percentage point, as issue 6 asks. */
    static final double TOLERANCE = 0.005;

    @TempDir
    Path work;

    static Stream<String> shippedSources() {
        return AdapterRegistry.builtIn().all().stream()
                .filter(spec -> spec.hasWeights() && spec.weights().get(0).training() != null)
                .map(AdapterSpec::id);
    }

    @ParameterizedTest
    @MethodSource("shippedSources")
    void weightsMatchTheirHashAndReproduceTheRecordedHeldOutAccuracy(String id) throws Exception {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        WeightSource source = spec.weights().get(0);
        TrainingProvenance training = source.training();
        assertEquals(WeightSource.Format.DL4J_ZIP, source.format());

        // Loading copies the classpath file into a fresh cache; the store refuses it unless size and SHA-256 match.
        PretrainedModel model = new AdapterLoader(WeightSettings.fromEnvironment().withCacheDir(work.resolve("cache")))
                .load(spec);
        assertEquals(source.sha256(), model.weights().sha256());
        assertEquals(source.sizeBytes(), model.weights().sizeBytes());

        Path data = work.resolve("data");
        assertEquals(0, Main.run(prepareArgs(training.dataCommand(), data)), training.dataCommand());
        Manifest manifest = ImageFolder.scan(data);
        assertEquals(training.dataManifestHash(), manifest.dataHash(), "the recorded command made other data (other"
                + " fonts installed?): " + training.dataCommand());
        List<Manifest.Entry> heldOut = manifest.okEntries().stream()
                .filter(e -> heldOutSplit(training).equals(e.split())).toList();
        assertEquals(training.heldOutImages(), heldOut.size(), "held-out images of " + training.dataCommand());
        assertEquals(classNames(spec), manifest.classes(), "the source head's classes, in output order");

        int correct = 0;
        int seen = 0;
        try (ImageFolderIterator images = ImageFolderIterator.inOrder(manifest, heldOut, spec.input(), 64)) {
            while (images.hasNext()) {
                DataSet batch = images.next();
                INDArray predicted = model.graph().outputSingle(false, batch.getFeatures()).argMax(1);
                INDArray actual = batch.getLabels().argMax(1);
                correct += predicted.eq(actual).castTo(DataType.INT32).sumNumber().intValue();
                seen += (int) batch.numExamples();
            }
        }
        assertEquals(heldOut.size(), seen);
        double accuracy = correct / (double) seen;
        System.out.printf(Locale.ROOT, "%s: %.4f on %d held-out images (recorded %.4f)%n", id, accuracy, seen,
                training.heldOutAccuracy());
        assertEquals(training.heldOutAccuracy(), accuracy, TOLERANCE, id + " on " + training.heldOut());
    }

    private static List<String> classNames(AdapterSpec spec) throws java.io.IOException {
        try (java.io.InputStream in = ShippedSourcesTest.class.getClassLoader()
                .getResourceAsStream(spec.head().classNames())) {
            assertTrue(in != null, "no class-name resource " + spec.head().classNames());
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The folder split the held-out images are in: the first word of the description, e.g. "val/ ..." or "test/ ...". */
    private static String heldOutSplit(TrainingProvenance training) {
        String first = training.heldOut().strip().split("[/ ]", 2)[0];
        assertFalse(first.isEmpty(), "heldOut must start with the split folder: " + training.heldOut());
        return first;
    }

    /** The recorded {@code ./tl4j datasets prepare ...} command, its {@code --out} pointed at {@code out}. */
    private static String[] prepareArgs(String command, Path out) {
        List<String> words = new ArrayList<>(Arrays.asList(command.strip().split("\\s+")));
        assertEquals("./tl4j", words.remove(0), "dataCommand must be a ./tl4j command: " + command);
        int at = words.indexOf("--out");
        assertTrue(at >= 0 && at + 1 < words.size(), "dataCommand has no --out DIR: " + command);
        words.set(at + 1, out.toString());
        words.add("--quiet");
        return words.toArray(String[]::new);
    }
}
