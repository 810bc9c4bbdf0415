package org.tl4j.zoo.onnx;

/** Turns one ONNX node into DL4J layers/vertices (or into a constant or an alias) inside an import. */
@FunctionalInterface
interface OpConverter {

    /**
     * Adds what the node computes to the graph and defines its outputs in {@code ctx}.
     *
     * @throws UnsupportedOnnxException naming the node when an attribute value or input has no exact DL4J form
     */
    void convert(OnnxNode node, ImportContext ctx);

    /** Reads an ints attribute of length 2 (2-D windows), or {@code fill} for each dimension when absent. */
    static int[] pair(OnnxNode node, String attribute, int fill) {
        long[] v = node.attributes().getInts(attribute);
        if (v == null) {
            return new int[] {fill, fill};
        }
        if (v.length != 2) {
            throw node.unsupported(attribute + " " + java.util.Arrays.toString(v)
                    + " is not 2-D; the importer handles 2-D windows only");
        }
        return new int[] {Math.toIntExact(v[0]), Math.toIntExact(v[1])};
    }

    /** The spatial dimensions (H, W) of an NCHW activation. */
    static long[] spatial(OnnxValue x) {
        return new long[] {x.dim(2), x.dim(3)};
    }

    /** Requires an NCHW activation. */
    static void requireImage(OnnxNode node, OnnxValue x) {
        if (x.rank() != 4) {
            throw node.unsupported("input of shape " + ImportContext.shape(x.shape()) + " is not [N,C,H,W];"
                    + " the importer handles 2-D images only (no 1-D or 3-D windows)");
        }
    }
}
