package org.tl4j.zoo.arch;

/**
 * Published layer names as used in tl4j graphs. DL4J accepts '/' in vertex names (checked: a graph with a
 * layer {@code conv1/7x7_s2} builds, saves and restores), but tl4j also uses layer names in file names (code
 * caches, exports) and on the command line, so every '/' of a Caffe name becomes '_':
 * {@code inception_3a/3x3_reduce} is {@code inception_3a_3x3_reduce}. No two names of the published
 * GoogLeNet, AlexNet or ResNet-50 prototxts collide under this rule.
 */
public final class LayerNames {

    private LayerNames() {
    }

    /** The tl4j name of a published (Caffe) layer name. */
    public static String of(String publishedName) {
        return publishedName.replace('/', '_');
    }
}
