package org.tl4j.zoo.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import onnx.Onnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.zoo.arch.LayerHelpers;

/**
 * Runs ONNX's own node tests (Debian package {@code libonnx-testdata}) for every operator the importer supports:
 * each test's model is imported, run in DL4J on the test's inputs and compared with ONNX's reference outputs
 * within {@value #TOLERANCE} relative error ({@link Parity}).
 *
 * <p>Node tests feed weights (Conv's W, Gemm's B, ...) as graph inputs; the importer turns initializers into
 * DL4J parameters, so the harness first moves such inputs into the graph as initializers ({@link
 * #PARAMETER_INPUTS}). Tests that DL4J cannot express are listed in {@link #SKIPS}, each with its reason; a
 * skipped test is still run and must still fail, so the list stays true. Every other test must pass.
 */
class OnnxNodeConformanceTest {

    static final Path TEST_DATA = Path.of("/usr/share/libonnx-testdata/data");
    /** ONNX's operator tests, and PyTorch modules exported by ONNX's test generator (weights as initializers). */
    static final List<String> SUITES = List.of("node", "pytorch-converted");
    static final double TOLERANCE = 1e-4;

    /** Input positions that hold weights rather than activations, per operator. */
    static final Map<String, Set<Integer>> PARAMETER_INPUTS = Map.of(
            "Conv", Set.of(1, 2),
            "Gemm", Set.of(1, 2),
            "MatMul", Set.of(1),
            "BatchNormalization", Set.of(1, 2, 3, 4),
            "Reshape", Set.of(1),
            "Dropout", Set.of(1, 2),
            "Pad", Set.of(1, 2),
            "Slice", Set.of(1, 2, 3, 4));

    /** Node tests of supported operators that the importer rejects or cannot match, and why. */
    static final Map<String, String> SKIPS = new TreeMap<>(Map.ofEntries(
            Map.entry("node/test_add_bcast", "broadcasting a [5] operand: DL4J's ElementWiseVertex adds equal shapes only"),
            Map.entry("node/test_add_uint8", "uint8 tensors: the importer builds float32 graphs"),
            Map.entry("node/test_averagepool_1d_default", "1-D pooling: only 2-D windows are mapped to DL4J's SubsamplingLayer"),
            Map.entry("node/test_averagepool_2d_same_lower", "SAME_LOWER pads first where DL4J's Same mode pads last, and pooling cannot be zero-padded exactly"),
            Map.entry("node/test_averagepool_3d_default", "3-D pooling: only 2-D windows are mapped to DL4J's SubsamplingLayer"),
            Map.entry("node/test_batchnorm_epsilon_training_mode", "training-mode graph (batch statistics); only inference graphs are imported"),
            Map.entry("node/test_batchnorm_example_training_mode", "training-mode graph (batch statistics); only inference graphs are imported"),
            Map.entry("node/test_concat_1d_axis_0", "rank-1 tensors have no batch dimension"),
            Map.entry("node/test_concat_1d_axis_negative_1", "rank-1 tensors have no batch dimension"),
            Map.entry("node/test_concat_2d_axis_0", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_concat_2d_axis_negative_2", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_concat_3d_axis_0", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_concat_3d_axis_2", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_concat_3d_axis_negative_1", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_concat_3d_axis_negative_3", "concatenation along the batch or a spatial axis; DL4J's MergeVertex joins axis 1 only"),
            Map.entry("node/test_constant", "the graph has no input (its output is a constant); a DL4J graph needs an input"),
            Map.entry("node/test_dropout_default_mask", "Dropout's mask output is used; DL4J layers have one output"),
            Map.entry("node/test_dropout_default_mask_ratio", "Dropout's mask output is used; DL4J layers have one output"),
            Map.entry("node/test_dropout_default_old", "rank-1 tensor has no batch dimension"),
            Map.entry("node/test_flatten_axis0", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_flatten_axis2", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_flatten_axis3", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_flatten_negative_axis1", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_flatten_negative_axis2", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_flatten_negative_axis4", "Flatten at an axis other than 1 merges or splits the batch dimension"),
            Map.entry("node/test_gemm_all_attributes", "transA transposes the batch dimension"),
            Map.entry("node/test_gemm_default_matrix_bias", "bias C differs per row of the batch; DL4J's dense bias is one row"),
            Map.entry("node/test_gemm_transposeA", "transA transposes the batch dimension"),
            Map.entry("node/test_sigmoid_example", "rank-1 tensor has no batch dimension"),
            Map.entry("node/test_tanh_example", "rank-1 tensor has no batch dimension"),
            Map.entry("node/test_slice", "slices along several axes; only a channel range (axis 1) maps to a subset vertex"),
            Map.entry("node/test_slice_default_axes", "slices along several axes; only a channel range (axis 1) maps to a subset vertex"),
            Map.entry("node/test_slice_default_steps", "slices along several axes; only a channel range (axis 1) maps to a subset vertex"),
            Map.entry("node/test_slice_neg_steps", "slices along several axes; only a channel range (axis 1) maps to a subset vertex"),
            Map.entry("node/test_slice_negative_axes", "slices along several axes; only a channel range (axis 1) maps to a subset vertex"),
            Map.entry("node/test_slice_end_out_of_bounds", "slice of a rank-3 tensor; subset vertices take [N,C,H,W] or [N,F]"),
            Map.entry("node/test_slice_neg", "slice of a rank-3 tensor; subset vertices take [N,C,H,W] or [N,F]"),
            Map.entry("node/test_slice_start_out_of_bounds", "slice of a rank-3 tensor; subset vertices take [N,C,H,W] or [N,F]"),
            Map.entry("node/test_identity_opt", "optional/sequence-typed input; DL4J graphs take tensors"),
            Map.entry("node/test_identity_sequence", "optional/sequence-typed input; DL4J graphs take tensors"),
            Map.entry("node/test_matmul_3d", "batched matrix product; DL4J's DenseLayer multiplies [N,K] by [K,M] only"),
            Map.entry("node/test_matmul_4d", "batched matrix product; DL4J's DenseLayer multiplies [N,K] by [K,M] only"),
            Map.entry("node/test_maxpool_1d_default", "1-D pooling: only 2-D windows are mapped to DL4J's SubsamplingLayer"),
            Map.entry("node/test_maxpool_2d_same_lower", "SAME_LOWER pads first where DL4J's Same mode pads last, and pooling cannot be zero-padded exactly"),
            Map.entry("node/test_maxpool_2d_uint8", "uint8 tensors: the importer builds float32 graphs"),
            Map.entry("node/test_maxpool_3d_default", "3-D pooling: only 2-D windows are mapped to DL4J's SubsamplingLayer"),
            Map.entry("node/test_maxpool_with_argmax_2d_precomputed_pads", "MaxPool's Indices output is used; DL4J layers have one output"),
            Map.entry("node/test_maxpool_with_argmax_2d_precomputed_strides", "MaxPool's Indices output is used; DL4J layers have one output"),
            Map.entry("node/test_reshape_allowzero_reordered", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_extended_dims", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_negative_dim", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_negative_extended_dims", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_one_dim", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_reduced_dims", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_reordered_all_dims", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_reordered_last_dims", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_zero_and_negative_dim", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_reshape_zero_dim", "reshape to a shape other than [batch, features]; DL4J keeps the batch dimension and image/sequence layouts"),
            Map.entry("node/test_softmax_axis_0", "softmax over a rank-3 tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_softmax_axis_1", "softmax over a rank-3 tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_softmax_axis_2", "softmax over a rank-3 tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_softmax_default_axis", "softmax over a rank-3 tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_softmax_negative_axis", "softmax over a rank-3 tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_training_dropout", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_training_dropout_default", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_training_dropout_default_mask", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_training_dropout_mask", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_training_dropout_zero_ratio", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_training_dropout_zero_ratio_mask", "training-mode dropout (random mask in the graph); only inference graphs are imported"),
            Map.entry("node/test_constant_pad", "padding with 1.2; DL4J's ZeroPaddingLayer pads with zeros"),
            Map.entry("node/test_edge_pad", "int32 tensors: the importer builds float32 graphs"),
            Map.entry("node/test_reflect_pad", "int32 tensors: the importer builds float32 graphs"),
            Map.entry("node/test_sum_example", "rank-1 tensors have no batch dimension"),
            Map.entry("node/test_sum_one_input", "rank-1 tensors have no batch dimension"),
            Map.entry("node/test_sum_two_inputs", "rank-1 tensors have no batch dimension"),
            Map.entry("pytorch-converted/test_ConstantPad2d", "padding with 2.0; DL4J's ZeroPaddingLayer pads with zeros"),
            Map.entry("pytorch-converted/test_ReflectionPad2d", "reflection padding has no DL4J layer"),
            Map.entry("pytorch-converted/test_ReplicationPad2d", "edge (replication) padding has no DL4J layer"),
            Map.entry("pytorch-converted/test_AvgPool3d", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_AvgPool3d_stride", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_BatchNorm1d_3d_input_eval", "batch normalisation of a rank-3 [N,C,T] tensor; DL4J's layer takes [N,F] or [N,C,H,W]"),
            Map.entry("pytorch-converted/test_BatchNorm3d_eval", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_BatchNorm3d_momentum_eval", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv1d", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_dilated", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_groups", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_pad1", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_pad1size1", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_pad2", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_pad2size1", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv1d_stride", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_Conv3d", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_dilated", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_dilated_strided", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_groups", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_no_bias", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_stride", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_Conv3d_stride_padding", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_MaxPool1d", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_MaxPool1d_stride", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_MaxPool1d_stride_padding_dilation", "1-D convolution/pooling: only 2-D windows are mapped"),
            Map.entry("pytorch-converted/test_MaxPool3d", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_MaxPool3d_stride", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_MaxPool3d_stride_padding", "3-D convolution/pooling: DL4J's 2-D layers take [N,C,H,W] only"),
            Map.entry("pytorch-converted/test_softmax_functional_dim3", "softmax over axis 3 of a 4-D tensor; DL4J's softmax layer works over [N, F] only"),
            Map.entry("node/test_gather_0", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_gather_1", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_gather_2d_indices", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_gather_negative_indices", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_shape", "the graph's output is a shape, known at import time; DL4J graph outputs are activations"),
            Map.entry("node/test_shape_clip_end", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_clip_start", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_end_1", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_end_negative_1", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_example", "the graph's output is a shape, known at import time; DL4J graph outputs are activations"),
            Map.entry("node/test_shape_start_1", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_start_1_end_2", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_start_1_end_negative_1", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_shape_start_negative_1", "Shape's start/end slicing (opset 15) is not supported"),
            Map.entry("node/test_unsqueeze_axis_0", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_axis_1", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_axis_2", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_axis_3", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_negative_axes", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_three_axes", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_two_axes", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("node/test_unsqueeze_unsorted_axes", "Gather/Unsqueeze on run-time tensors; they are evaluated at import time on shape vectors only"),
            Map.entry("pytorch-converted/test_Embedding", "embedding lookup (Gather on run-time data); Gather is evaluated at import time on shape vectors only"),
            Map.entry("pytorch-converted/test_Embedding_sparse", "embedding lookup (Gather on run-time data); Gather is evaluated at import time on shape vectors only")
    ));

    static {
        if (LayerHelpers.oneDnnLoaded()) {
            String refused = "the -onednn builds of nd4j-native compute dilated max pooling wrongly (31% off on"
                    + " test_maxpool_2d_dilations), so the importer refuses every dilated max pooling there; the -avx512"
                    + " build imports both tests exactly";
            SKIPS.put("node/test_maxpool_2d_dilations", refused);
            SKIPS.put("pytorch-converted/test_MaxPool2d_stride_padding_dilation", refused);
        }
    }

    private static final Map<String, String> PASSED = new TreeMap<>();
    private static final Map<String, String> SKIPPED = new TreeMap<>();

    static Stream<String> nodeTests() throws IOException {
        requireTestData();
        Set<String> supported = OnnxImporter.supportedOperators();
        List<String> names = new ArrayList<>();
        for (String suite : SUITES) {
            try (Stream<Path> dirs = Files.list(TEST_DATA.resolve(suite))) {
                for (Path dir : dirs.sorted().toList()) {
                    Path model = dir.resolve("model.onnx");
                    if (Files.isRegularFile(model) && supported.containsAll(opTypes(readModel(model)))) {
                        names.add(suite + "/" + dir.getFileName());
                    }
                }
            }
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeTests")
    void nodeTestMatchesOnnxReference(String name) throws IOException {
        Path dir = TEST_DATA.resolve(name);
        String reason = SKIPS.get(name);
        if (reason == null) {
            String result = runNodeTest(dir);
            PASSED.put(name, result);
            return;
        }
        String outcome;
        try {
            outcome = "passed: " + runNodeTest(dir);
        } catch (AssertionError | RuntimeException expected) {
            SKIPPED.put(name, reason);
            Assumptions.abort(reason + " [" + firstLine(expected) + "]");
            return;
        }
        fail(name + " is on the skip list (" + reason + ") but now " + outcome + "; remove it from SKIPS");
    }

    @Test
    void everySkipNamesAnExistingTestOfASupportedOperator() throws IOException {
        requireTestData();
        Set<String> tests = new HashSet<>(nodeTests().toList());
        for (Map.Entry<String, String> skip : SKIPS.entrySet()) {
            assertTrue(tests.contains(skip.getKey()), skip.getKey() + " is not a node test of a supported operator");
            assertFalse(skip.getValue().isBlank(), skip.getKey() + " has no reason");
        }
    }

    /** The data comes from a Debian package that .ci installs; without it there is nothing to compare with. */
    private static void requireTestData() {
        Assumptions.assumeTrue(Files.isDirectory(TEST_DATA.resolve("node")),
                TEST_DATA + " is missing: apt-get install libonnx-testdata");
    }

    @AfterAll
    static void printSummary() {
        StringBuilder s = new StringBuilder("ONNX conformance tests: " + PASSED.size() + " passed, " + SKIPPED.size()
                + " skipped\n");
        PASSED.forEach((k, v) -> s.append("  PASS ").append(k).append(" (").append(v).append(")\n"));
        SKIPPED.forEach((k, v) -> s.append("  SKIP ").append(k).append(": ").append(v).append('\n'));
        System.out.print(s);
    }

    /** Imports and runs one node test on all its data sets; returns the worst parity, fails beyond tolerance. */
    static String runNodeTest(Path dir) throws IOException {
        Onnx.ModelProto model = readModel(dir.resolve("model.onnx"));
        List<Path> dataSets;
        try (Stream<Path> s = Files.list(dir)) {
            dataSets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        Parity worst = new Parity(0, 0);
        List<Onnx.ValueInfoProto> graphInputs = nonInitializerInputs(model.getGraph());
        Set<String> folded = parameterInputs(model.getGraph());
        // Import once with the weights of data set 0, so an unsupported model fails before its data is read.
        ImportedModel imported = importWithWeights(model, dir, dataSets.get(0), graphInputs, folded);
        for (Path data : dataSets) {
            if (data != dataSets.get(0)) {
                imported = importWithWeights(model, dir, data, graphInputs, folded);
            }
            List<INDArray> expected = readAll(data, "output_");
            List<INDArray> activations = new ArrayList<>();
            for (int i = 0; i < graphInputs.size(); i++) {
                if (!folded.contains(graphInputs.get(i).getName())) {
                    activations.add(OnnxTensors.read(data.resolve("input_" + i + ".pb")));
                }
            }
            INDArray[] actual = imported.output(activations.toArray(INDArray[]::new));
            if (actual.length != expected.size()) {
                throw new AssertionError(actual.length + " outputs, expected " + expected.size());
            }
            for (int i = 0; i < actual.length; i++) {
                Parity p = Parity.of(actual[i], expected.get(i));
                if (!(p.relative() <= TOLERANCE)) {
                    throw new AssertionError(dir.getFileName() + " " + data.getFileName() + " output " + i + ": " + p
                            + " exceeds " + TOLERANCE);
                }
                if (p.relative() > worst.relative() || Double.isNaN(p.relative())) {
                    worst = p;
                }
            }
        }
        return worst.toString();
    }

    private static ImportedModel importWithWeights(Onnx.ModelProto model, Path dir, Path data,
                                                   List<Onnx.ValueInfoProto> graphInputs, Set<String> folded)
            throws IOException {
        Onnx.GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graphInputs.size(); i++) {
            String inputName = graphInputs.get(i).getName();
            if (folded.contains(inputName)) {
                byte[] bytes = Files.readAllBytes(data.resolve("input_" + i + ".pb"));
                graph.addInitializer(Onnx.TensorProto.parseFrom(bytes).toBuilder().setName(inputName).build());
            }
        }
        return OnnxImporter.importModel(model.toBuilder().setGraph(graph).build(), dir.getFileName().toString());
    }

    /** Graph inputs consumed only at weight positions ({@link #PARAMETER_INPUTS}). */
    private static Set<String> parameterInputs(Onnx.GraphProto g) {
        Set<String> weightUses = new HashSet<>();
        Set<String> otherUses = new HashSet<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            Set<Integer> positions = PARAMETER_INPUTS.getOrDefault(n.getOpType(), Set.of());
            for (int i = 0; i < n.getInputCount(); i++) {
                (positions.contains(i) ? weightUses : otherUses).add(n.getInput(i));
            }
        }
        weightUses.removeAll(otherUses);
        return weightUses;
    }

    private static List<Onnx.ValueInfoProto> nonInitializerInputs(Onnx.GraphProto g) {
        Set<String> init = new HashSet<>();
        g.getInitializerList().forEach(t -> init.add(t.getName()));
        return g.getInputList().stream().filter(vi -> !init.contains(vi.getName())).toList();
    }

    private static List<INDArray> readAll(Path dataSet, String prefix) throws IOException {
        List<INDArray> arrays = new ArrayList<>();
        for (int i = 0; Files.exists(dataSet.resolve(prefix + i + ".pb")); i++) {
            arrays.add(OnnxTensors.read(dataSet.resolve(prefix + i + ".pb")));
        }
        return arrays;
    }

    static Onnx.ModelProto readModel(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Onnx.ModelProto.parseFrom(in);
        }
    }

    private static Set<String> opTypes(Onnx.ModelProto model) {
        Set<String> ops = new HashSet<>();
        model.getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
        return ops;
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
