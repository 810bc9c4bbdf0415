package org.tl4j.codes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CNN codes of a set of images: an N x D float matrix (row-major, one row per image), each row's class label
 * (an index into {@link CodesInfo#classes()}) and image path, and how they were made.
 */
public final class Codes {

    private final CodesInfo info;
    private final int rows;
    private final int dim;
    private final float[] values;
    private final int[] labels;
    private final List<String> paths;

    /**
     * @param info   what the codes are
     * @param rows   number of images N
     * @param dim    code length D
     * @param values N * D values, row-major (not copied: the caller hands them over)
     * @param labels N class indices into {@code info.classes()}
     * @param paths  N image paths (relative to the image folder)
     */
    public Codes(CodesInfo info, int rows, int dim, float[] values, int[] labels, List<String> paths) {
        this.info = Objects.requireNonNull(info, "info");
        if (rows < 0 || dim < 1 || values.length != (long) rows * dim) {
            throw new IllegalArgumentException(values.length + " values do not make " + rows + " rows of " + dim);
        }
        if (labels.length != rows || paths.size() != rows) {
            throw new IllegalArgumentException(rows + " rows but " + labels.length + " labels and " + paths.size()
                    + " paths");
        }
        for (int label : labels) {
            if (label < 0 || label >= info.classes().size()) {
                throw new IllegalArgumentException("label " + label + " is not an index of the "
                        + info.classes().size() + " classes " + info.classes());
            }
        }
        this.rows = rows;
        this.dim = dim;
        this.values = values;
        this.labels = labels;
        this.paths = List.copyOf(paths);
    }

    /** What the codes are. */
    public CodesInfo info() {
        return info;
    }

    /** Number of images N. */
    public int rows() {
        return rows;
    }

    /** Code length D. */
    public int dim() {
        return dim;
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        return Arrays.copyOfRange(values, i * dim, (i + 1) * dim);
    }

    /** Value at row {@code i}, column {@code j}. */
    public float get(int i, int j) {
        return values[i * dim + j];
    }

    /** Class index of row {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** All labels (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Image path of row {@code i}. */
    public String path(int i) {
        return paths.get(i);
    }

    /** All image paths. */
    public List<String> paths() {
        return paths;
    }

    /** The values as a new [N, D] float32 array. */
    public INDArray matrix() {
        return Nd4j.create(values.clone(), new long[] {rows, dim}, 'c');
    }

    /** The raw row-major values (not a copy: do not modify). */
    float[] values() {
        return values;
    }

    /** The rows at the given indices, in that order. */
    public Codes select(int[] indices) {
        float[] v = new float[indices.length * dim];
        int[] l = new int[indices.length];
        List<String> p = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(values, indices[k] * dim, v, k * dim, dim);
            l[k] = labels[indices[k]];
            p.add(paths.get(indices[k]));
        }
        return new Codes(info, indices.length, dim, v, l, p);
    }

    @Override
    public String toString() {
        return rows + " x " + dim + " codes: " + info.describe();
    }
}
