package org.tl4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.zoo.spec.InputSpec;
import org.tl4j.zoo.spec.InputSpec.ChannelOrder;
import org.tl4j.zoo.spec.InputSpec.PixelRange;
import org.tl4j.zoo.spec.InputSpec.ResizePolicy;

/** Tensors as the InputSpec says (shape, channel order, normalisation, crop/pad), labels, epochs and shuffling. */
class ImageFolderIteratorTest {

    private static final float EPS = 1e-5f;

    @TempDir
    Path dir;

    private static final ScanOptions QUIET = ScanOptions.defaults().withProgress(false);

    /** Scans dir, which holds one class folder per entry of the image list. */
    private Manifest scan() throws Exception {
        return ImageFolder.scan(dir, QUIET);
    }

    private DataSet single(InputSpec spec) throws Exception {
        Manifest m = scan();
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(m, m.okEntries(), spec, 8)) {
            assertTrue(it.hasNext());
            return it.next();
        }
    }

    @Test
    void rgbTensorIsNchwNormalisedWithMeanAndStd() throws Exception {
        // 2x2: (0,0) = (255, 0, 51), (1,0) = (0, 102, 255), row 1 = (10, 20, 30)
        TestImages.write(dir.resolve("a"), "x.png", TestImages.encode(TestImages.rgb(2, 2,
                (x, y) -> y == 1 ? 0x0A141E : x == 0 ? 0xFF0033 : 0x0066FF), "png"));
        TestImages.write(dir.resolve("b"), "y.png", TestImages.solidPng(2, 2, 0));
        double[] mean = {0.5, 0.25, 0.125};
        double[] std = {0.5, 0.25, 2.0};
        InputSpec spec = new InputSpec(2, 2, ChannelOrder.RGB, PixelRange.UNIT, mean, std, ResizePolicy.CENTER_CROP);
        DataSet ds = single(spec);
        INDArray f = ds.getFeatures();
        assertArrayEquals(new long[] {2, 3, 2, 2}, f.shape());
        // image 0 is class a
        assertEquals((1.0 - 0.5) / 0.5, f.getFloat(0, 0, 0, 0), EPS);
        assertEquals((0.0 - 0.25) / 0.25, f.getFloat(0, 1, 0, 0), EPS);
        assertEquals((51 / 255.0 - 0.125) / 2.0, f.getFloat(0, 2, 0, 0), EPS);
        assertEquals((102 / 255.0 - 0.25) / 0.25, f.getFloat(0, 1, 0, 1), EPS);
        assertEquals((30 / 255.0 - 0.125) / 2.0, f.getFloat(0, 2, 1, 0), EPS);
        assertArrayEquals(new float[] {1, 0, 0, 1}, ds.getLabels().data().asFloat());
        assertEquals(List.of("a", "b"), ds.getLabelNamesList());
    }

    @Test
    void bgrByteRangeIsCaffeStyle() throws Exception {
        TestImages.write(dir.resolve("a"), "x.png", TestImages.solidPng(1, 1, 0x0A141E)); // R10 G20 B30
        TestImages.write(dir.resolve("b"), "y.png", TestImages.solidPng(1, 1, 0));
        InputSpec spec = new InputSpec(1, 1, ChannelOrder.BGR, PixelRange.BYTE, new double[] {100, 110, 120},
                new double[] {1, 1, 1}, ResizePolicy.STRETCH);
        INDArray f = single(spec).getFeatures();
        assertEquals(30 - 100, f.getFloat(0, 0, 0, 0), EPS); // blue first
        assertEquals(20 - 110, f.getFloat(0, 1, 0, 0), EPS);
        assertEquals(10 - 120, f.getFloat(0, 2, 0, 0), EPS);
    }

    @Test
    void grayModelGetsLumaOfAColourImage() throws Exception {
        TestImages.write(dir.resolve("a"), "x.png", TestImages.solidPng(1, 1, 0xC86432)); // 200, 100, 50
        TestImages.write(dir.resolve("b"), "y.png", TestImages.solidPng(1, 1, 0));
        INDArray f = single(InputSpec.unitRange(1, 1, ChannelOrder.GRAY)).getFeatures();
        assertArrayEquals(new long[] {2, 1, 1, 1}, f.shape());
        int luma = (200 * 299 + 100 * 587 + 50 * 114 + 500) / 1000;
        assertEquals(luma / 255f, f.getFloat(0, 0, 0, 0), EPS);
    }

    @Test
    void centreCropKeepsTheMiddleAndPadFillsWithTheMean() throws Exception {
        // 4 wide, 2 high; columns 0..3 have grey 0, 85, 170, 255
        TestImages.write(dir.resolve("a"), "x.png", TestImages.encode(TestImages.gray(4, 2, (x, y) -> 85 * x), "png"));
        TestImages.write(dir.resolve("b"), "y.png", TestImages.solidPng(1, 1, 0));
        InputSpec crop = new InputSpec(2, 2, ChannelOrder.GRAY, PixelRange.BYTE, new double[] {0}, new double[] {1},
                ResizePolicy.CENTER_CROP);
        INDArray cropped = single(crop).getFeatures();
        assertEquals(85, cropped.getFloat(0, 0, 0, 0), EPS);
        assertEquals(170, cropped.getFloat(0, 0, 1, 1), EPS);

        InputSpec pad = new InputSpec(4, 4, ChannelOrder.GRAY, PixelRange.BYTE, new double[] {50}, new double[] {1},
                ResizePolicy.PAD);
        INDArray padded = single(pad).getFeatures();
        for (int x = 0; x < 4; x++) {
            assertEquals(0, padded.getFloat(0, 0, 0, x), EPS, "top padding is the mean, normalised to 0");
            assertEquals(85 * x - 50, padded.getFloat(0, 0, 1, x), EPS);
            assertEquals(85 * x - 50, padded.getFloat(0, 0, 2, x), EPS);
            assertEquals(0, padded.getFloat(0, 0, 3, x), EPS);
        }
    }

    @Test
    void downscalingAveragesInsteadOfSkippingPixels() throws Exception {
        // A 1-pixel checkerboard shrunk 8x must come out mid-grey, not black or white as point sampling gives.
        TestImages.write(dir.resolve("a"), "x.png", TestImages.encode(TestImages.gray(64, 64,
                (x, y) -> (x + y) % 2 == 0 ? 0 : 255), "png"));
        TestImages.write(dir.resolve("b"), "y.png", TestImages.solidPng(1, 1, 0));
        INDArray f = single(new InputSpec(8, 8, ChannelOrder.GRAY, PixelRange.BYTE, new double[] {0},
                new double[] {1}, ResizePolicy.STRETCH)).getFeatures();
        assertEquals(127.5, f.getFloat(0, 0, 4, 4), 8);
    }

    /** Ten 1x1 images whose grey value 20 * i identifies them, in two classes. */
    private Manifest numberedImages() throws Exception {
        for (int i = 0; i < 10; i++) {
            int value = 20 * i;
            TestImages.write(dir.resolve(i % 2 == 0 ? "even" : "odd"), i + ".png",
                    TestImages.encode(TestImages.gray(1, 1, (x, y) -> value), "png"));
        }
        return scan();
    }

    private static List<Integer> epoch(ImageFolderIterator it, List<Integer> batchSizes) {
        List<Integer> ids = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            batchSizes.add(ds.numExamples());
            for (int j = 0; j < ds.numExamples(); j++) {
                int id = Math.round(ds.getFeatures().getFloat(j, 0, 0, 0) / 20f);
                ids.add(id);
                int label = ds.getLabels().getFloat(j, 0) == 1f ? 0 : 1;
                assertEquals(id % 2 == 0 ? 0 : 1, label, "label of image " + id);
            }
        }
        return ids;
    }

    @Test
    void everyImageOncePerEpochShuffledFromTheSeedAndResetStartsTheNextEpoch() throws Exception {
        Manifest m = numberedImages();
        InputSpec spec = new InputSpec(1, 1, ChannelOrder.GRAY, PixelRange.BYTE, new double[] {0}, new double[] {1},
                ResizePolicy.STRETCH);
        List<List<Integer>> orders = new ArrayList<>();
        try (ImageFolderIterator it = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            assertFalse(it.asyncSupported(), "DL4J must not add a second prefetch thread");
            assertEquals(2, it.totalOutcomes());
            for (int e = 0; e < 3; e++) {
                List<Integer> sizes = new ArrayList<>();
                List<Integer> ids = epoch(it, sizes);
                assertEquals(List.of(4, 4, 2), sizes);
                assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), new HashSet<>(ids));
                assertEquals(10, ids.size());
                orders.add(ids);
                it.reset();
            }
        }
        assertNotEquals(orders.get(0), orders.get(1), "each epoch is shuffled anew");
        try (ImageFolderIterator same = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            assertEquals(orders.get(0), epoch(same, new ArrayList<>()), "the same seed gives the same order");
            same.reset();
            assertEquals(orders.get(1), epoch(same, new ArrayList<>()));
        }
        try (ImageFolderIterator midway = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            midway.next();
            midway.reset();
            assertEquals(orders.get(1), epoch(midway, new ArrayList<>()), "reset mid-epoch starts a full epoch");
        }
    }

    @Test
    void aSavedPositionResumesTheSameDataOrderInAnotherIterator() throws Exception {
        Manifest m = numberedImages();
        InputSpec spec = new InputSpec(1, 1, ChannelOrder.GRAY, PixelRange.BYTE, new double[] {0}, new double[] {1},
                ResizePolicy.STRETCH);
        List<Integer> expected = new ArrayList<>();
        ImageFolderIterator.Position saved;
        try (ImageFolderIterator it = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            epoch(it, new ArrayList<>());
            it.reset();
            it.next();
            saved = it.position();
            assertEquals(new ImageFolderIterator.Position(1, 1, 11, true), saved);
            expected.addAll(epoch(it, new ArrayList<>()));
            it.reset();
            expected.addAll(epoch(it, new ArrayList<>()));
        }
        try (ImageFolderIterator resumed = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            resumed.seek(saved);
            List<Integer> sizes = new ArrayList<>();
            List<Integer> seen = new ArrayList<>(epoch(resumed, sizes));
            assertEquals(List.of(4, 2), sizes, "the rest of epoch 1: its second and third batch");
            assertEquals(1, resumed.epoch());
            resumed.reset();
            seen.addAll(epoch(resumed, new ArrayList<>()));
            assertEquals(expected, seen, "same batches in the same order as the uninterrupted iterator");
        }
        try (ImageFolderIterator otherSeed = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 12)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherSeed.seek(saved));
            assertTrue(e.getMessage().contains("shuffle seed 11"), e.getMessage());
        }
        try (ImageFolderIterator smallBatches = ImageFolderIterator.of(m, m.okEntries(), spec, 4, 11)) {
            assertThrows(IllegalArgumentException.class,
                    () -> smallBatches.seek(new ImageFolderIterator.Position(0, 4, 11, true)));
        }
    }

    @Test
    void dl4jTrainsFromItOverSeveralEpochs() throws Exception {
        Manifest m = numberedImages();
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration
                .Builder().seed(1).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(2)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(2, 2, 3))
                .build();
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        try (ImageFolderIterator it = ImageFolderIterator.of(m, m.okEntries(), InputSpec.imagenetTorchvision(2), 4,
                3)) {
            net.fit(it, 3);
            assertEquals(3, net.getEpochCount());
            assertEquals(9, net.getIterationCount(), "3 batches per epoch, 3 epochs");
            it.reset();
            assertEquals(10, net.output(it).rows());
        }
    }

    @Test
    void aFileThatBrokeAfterTheScanFailsNamingIt() throws Exception {
        Manifest m = numberedImages();
        Files.write(dir.resolve("odd/3.png"), new byte[] {1, 2, 3});
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(m, m.okEntries(), InputSpec.unitRange(1, 1,
                ChannelOrder.GRAY), 32)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, it::hasNext);
            assertTrue(e.getMessage().contains("3.png") && e.getMessage().contains("rescan"), e.getMessage());
        }
    }

    private static final InputSpec ONE_PIXEL_BYTES = new InputSpec(1, 1, ChannelOrder.GRAY, PixelRange.BYTE,
            new double[] {0}, new double[] {1}, ResizePolicy.STRETCH);

    private static List<Integer> expectedIds(Manifest m) {
        return m.okEntries().stream().map(e -> Integer.parseInt(Path.of(e.path()).getFileName().toString()
                .replace(".png", ""))).toList();
    }

    @Test
    void inOrderKeepsTheEntriesOrderThroughThePrefetchQueueEveryEpoch() throws Exception {
        Manifest m = numberedImages();
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(m, m.okEntries(), ONE_PIXEL_BYTES, 2)) {
            for (int e = 0; e < 2; e++) {
                List<Integer> ids = new ArrayList<>();
                while (it.hasNext()) {
                    // A slow consumer: the producer fills the bounded queue and waits, several times an epoch.
                    Thread.sleep(10);
                    DataSet ds = it.next();
                    for (int j = 0; j < ds.numExamples(); j++) {
                        ids.add(Math.round(ds.getFeatures().getFloat(j, 0, 0, 0) / 20f));
                    }
                }
                assertEquals(expectedIds(m), ids, "epoch " + e);
                it.reset();
            }
        }
    }

    @Test
    void aDecodingFailureAfterSomeBatchesReachesTheConsumerAfterTheGoodBatches() throws Exception {
        Manifest m = numberedImages();
        List<Integer> order = expectedIds(m);
        int broken = order.get(7);
        Files.write(dir.resolve((broken % 2 == 0 ? "even/" : "odd/") + broken + ".png"), new byte[] {1, 2, 3});
        try (ImageFolderIterator it = ImageFolderIterator.inOrder(m, m.okEntries(), ONE_PIXEL_BYTES, 2)) {
            for (int b = 0; b < 3; b++) {
                assertTrue(it.hasNext());
                assertEquals(2, it.next().numExamples(), "batch " + b + " precedes the broken file");
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, it::hasNext);
            assertTrue(e.getMessage().contains(broken + ".png"), e.getMessage());
        }
    }

    @Test
    void closeStopsThePrefetchAndDecodingThreads() throws Exception {
        Manifest m = numberedImages();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ImageFolderIterator it = ImageFolderIterator.inOrder(m, m.okEntries(), ONE_PIXEL_BYTES, 1);
        it.next(); // the producer is now blocked on its full queue, with batches left to decode
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("tl4j-")).toList();
        assertTrue(started.stream().anyMatch(t -> t.getName().equals("tl4j-prefetch")), started.toString());
        assertTrue(started.stream().anyMatch(t -> t.getName().startsWith("tl4j-decode-")), started.toString());
        it.close();
        for (Thread t : started) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after close()");
        }
    }
}
