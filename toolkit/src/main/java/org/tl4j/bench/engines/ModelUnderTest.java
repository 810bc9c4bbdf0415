package org.tl4j.bench.engines;

import java.nio.file.Path;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * A network as every engine sees it: tl4j builds it from {@code spec} and {@code seed}, ONNX Runtime runs
 * {@code onnxFile} (exported from that same DL4J graph), PyTorch builds torchvision's {@code name} at
 * {@code size} px (the torchvision variants are layer for layer the same networks, hence FLOP-matched).
 *
 * @param gflopPerImage forward-pass GFLOP per image (2 x multiply-adds, from tl4j's shape inference)
 */
public record ModelUnderTest(String name, AdapterSpec spec, long seed, int size, Path onnxFile,
                             double gflopPerImage) {
}
