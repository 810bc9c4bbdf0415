package org.tl4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.codes.CnnCodes;
import org.tl4j.codes.Pooling;
import org.tl4j.data.InvalidInputException;
import org.tl4j.train.FeatureTestData;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** From images to a saved SVM and back to predictions on images (seeded resnet50-small, tiny striped images). */
class SvmOnActivationsTest {

    @TempDir
    Path dir;

    @Test
    void fitSavePredictAndEvaluateFromImages() throws IOException {
        AdapterSpec spec = AdapterRegistry.standard().get("resnet50-small");
        ComputationGraph graph = Architectures.build(spec, 5);
        Path images = FeatureTestData.stripes(dir.resolve("images"), 10, 4);
        Path cache = dir.resolve("cache");
        CnnCodes codes = CnnCodes.of(spec, graph).tap("res4f").pooling(Pooling.AVG_MAX).l2Normalize(true)
                .cacheFolder(cache).progress(false);
        SvmOnActivations.Result result = SvmOnActivations.fit(codes, images, SvmOptions.defaults());
        org.tl4j.data.Manifest manifest = org.tl4j.data.ImageFolder.scan(images);
        org.tl4j.data.Splits splits = org.tl4j.data.Splits.of(manifest, org.tl4j.data.Splits.Fractions.DEFAULT,
                SvmOptions.defaults().seed());
        assertEquals(splits.paths(org.tl4j.data.Splits.Part.TRAIN), result.train().paths());
        assertEquals(splits.paths(org.tl4j.data.Splits.Part.VAL), result.val().paths());
        assertTrue(result.train().rows() >= 10 && result.val().rows() >= 2, result.train() + " / " + result.val());
        assertEquals(List.of("horizontal", "vertical"), result.model().classes());
        Path file = dir.resolve("svm.zip");
        result.model().save(file);

        SvmModel loaded = SvmModel.load(file);
        assertEquals("res4f", loaded.codesInfo().tap());
        assertEquals(Pooling.AVG_MAX, loaded.pooling());
        assertTrue(loaded.codesInfo().l2Normalized());
        // A fresh extractor with default settings: the model sets tap, pooling and normalisation itself.
        CnnCodes fresh = CnnCodes.of(spec, graph).cacheFolder(cache).progress(false);
        List<String> predicted = loaded.predict(images, fresh);
        assertEquals(20, predicted.size());
        assertEquals(result.model().predictClasses(loaded.codesOf(images, fresh)), predicted);
        Evaluation e = loaded.evaluate(images, fresh);
        assertEquals(20, e.images());
        // Stripes are easy: even random convolutional features separate them on the training images.
        assertTrue(e.accuracy() >= 0.75, "accuracy " + e.accuracy());

        ComputationGraph otherWeights = Architectures.build(spec, 6);
        InvalidInputException wrong = assertThrows(InvalidInputException.class,
                () -> loaded.predict(images, CnnCodes.of(spec, otherWeights).cacheFolder(cache).progress(false)));
        assertTrue(wrong.getMessage().contains("weights"), wrong.getMessage());
    }
}
