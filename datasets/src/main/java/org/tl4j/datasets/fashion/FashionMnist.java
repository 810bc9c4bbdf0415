package org.tl4j.datasets.fashion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tl4j.datasets.ClassSelection;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DatasetManifest;
import org.tl4j.datasets.GrayImage;
import org.tl4j.datasets.ImageFolderWriter;
import org.tl4j.datasets.Parallel;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;
import org.tl4j.datasets.Sha256;
import org.tl4j.datasets.StagingDirectory;
import org.tl4j.datasets.StratifiedSampler;

/**
 * Fashion-MNIST (Zalando, MIT licence) as PNG folders: {@code train/<class>/NNNNN.png} and
 * {@code test/<class>/NNNNN.png}, splits as published, file names = index in the published IDX file.
 */
public final class FashionMnist {

    public static final String NAME = "fashion-mnist";
    /** Class folder names in label order 0..9 (the published names, lower-case, hyphenated). */
    public static final List<String> CLASSES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle-boot");
    public static final int SIDE = 28;

    private FashionMnist() {
    }

    /** One image to write: split, index in its IDX file, label. */
    private record Item(String split, int index, int label) {
    }

    /** Prepares the dataset from {@code source} into {@code options.out()}. */
    public static PreparedDataset prepare(PrepareOptions options, FashionMnistSource source) {
        long start = System.nanoTime();
        ClassSelection selection = ClassSelection.parse(options.classes(), CLASSES);
        options.progress().report(NAME + ": reading IDX files");
        Map<FashionMnistFile, IdxArray> arrays = new LinkedHashMap<>();
        List<Map<String, Object>> sourceFiles = new ArrayList<>();
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path path = source.files().get(file);
            IdxArray array = IdxReader.read(path);
            FashionMnistSource.verifyContent(file, array, path);
            arrays.put(file, array);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", file.fileName());
            entry.put("path", path.toAbsolutePath().toString());
            entry.put("sha256", Sha256.of(path));
            entry.put("contentSha256", array.contentSha256());
            entry.put("upstreamUrl", file.upstreamUri().toString());
            sourceFiles.add(entry);
        }
        IdxArray trainImages = images(arrays, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, source);
        IdxArray testImages = images(arrays, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS, source);

        List<Item> train = items("train", arrays.get(FashionMnistFile.TRAIN_LABELS), selection);
        if (options.perClass() != null) {
            train = StratifiedSampler.limitPerClass(train, Item::label, options.perClass(), options.seed());
        }
        List<Item> all = new ArrayList<>(train);
        all.addAll(items("test", arrays.get(FashionMnistFile.TEST_LABELS), selection));

        try (StagingDirectory staging = StagingDirectory.begin(options.out())) {
            ImageFolderWriter writer = new ImageFolderWriter(staging.path());
            Parallel.forEach(all, options.threads(), options.progress(), NAME + ": images written", item -> {
                IdxArray images = item.split().equals("train") ? trainImages : testImages;
                writer.write(item.split(), CLASSES.get(item.label()), String.format("%05d.png", item.index()),
                        new GrayImage(SIDE, SIDE, images.item(item.index())));
            });
            List<String> classNames = selection.indices().stream().map(CLASSES::get).toList();
            Map<String, Map<String, Integer>> counts = writer.counts(List.of("train", "test"), classNames);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> sourceInfo = new LinkedHashMap<>(source.provenance());
            sourceInfo.put("files", sourceFiles);
            new DatasetManifest(NAME, "Fashion-MNIST: Zalando article images, 28x28 grayscale, 10 classes;"
                    + " train/ and test/ as published; file name = index in the published IDX file")
                    .put("licence", "MIT (Zalando SE)")
                    .put("homepage", "https://github.com/zalandoresearch/fashion-mnist")
                    .put("source", sourceInfo)
                    .put("classes", classNames)
                    .put("options", Map.of("classes", String.valueOf(options.classes()),
                            "perClass", String.valueOf(options.perClass()), "seed", options.seed()))
                    .put("image", Map.of("width", SIDE, "height", SIDE, "channels", 1, "format", "png"))
                    .put("counts", counts)
                    .put("seconds", Math.round(seconds * 10) / 10.0)
                    .writeTo(staging.path());
            staging.commit();
            return new PreparedDataset(staging.target(), counts, writer.total(), seconds);
        }
    }

    private static IdxArray images(Map<FashionMnistFile, IdxArray> arrays, FashionMnistFile imagesFile,
                                   FashionMnistFile labelsFile, FashionMnistSource source) {
        IdxArray images = arrays.get(imagesFile);
        IdxArray labels = arrays.get(labelsFile);
        int[] dims = images.dims();
        if (dims.length != 3 || dims[1] != SIDE || dims[2] != SIDE || labels.dims().length != 1
                || labels.count() != images.count()) {
            throw new DatasetException(source.files().get(imagesFile) + " and " + source.files().get(labelsFile)
                    + " do not hold matching 28x28 images and labels; reinstall or re-download them");
        }
        return images;
    }

    private static List<Item> items(String split, IdxArray labels, ClassSelection selection) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < labels.count(); i++) {
            int label = labels.value(i);
            if (label >= CLASSES.size()) {
                throw new DatasetException("label " + label + " at index " + i + " of the " + split
                        + " labels is not a Fashion-MNIST class (0-9); the file is corrupt");
            }
            if (selection.contains(label)) {
                items.add(new Item(split, i, label));
            }
        }
        return items;
    }
}
