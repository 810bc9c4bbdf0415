package org.tl4j.zoo.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports an ONNX CNN (torchvision exports, the ONNX model zoo's AlexNet, GoogLeNet and ResNet-50) into a
 * trainable DL4J {@link ComputationGraph}: every operator becomes a DL4J layer or vertex, every initializer a
 * DL4J parameter, so the result can be fine-tuned with DL4J's updaters and transfer-learning API.
 *
 * <p>Parsing uses ONNX's own generated protobuf classes, shipped inside nd4j-api ({@code onnx.Onnx}).
 * Operators: {@link #supportedOperators()}, opsets {@value #MIN_OPSET} to {@value #MAX_OPSET}. Anything without
 * an exact DL4J equivalent is an {@link UnsupportedOnnxException} naming the node, never an approximation.
 *
 * <p>The graph is built for inference and fine-tuning in float32 with an Adam(1e-3) default updater; transfer
 * learning normally replaces it through DL4J's {@code FineTuneConfiguration}.
 */
public final class OnnxImporter {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

    public static final int MIN_OPSET = 6;
    public static final int MAX_OPSET = 17;
    /** Seed for the (immediately overwritten) initial weights, so a graph is reproducible end to end. */
    private static final long SEED = 42;

    /** Operators with a single version (1): a model using only these may declare any opset from 1. */
    private static final Set<String> UNCHANGED_SINCE_OPSET_1 = Set.of("GlobalAveragePool", "GlobalMaxPool");

    private static final Map<String, OpConverter> CONVERTERS = Map.ofEntries(
            Map.entry("Conv", new ConvConverter()),
            Map.entry("Relu", new ActivationConverter(Activation.RELU)),
            Map.entry("Softmax", new ActivationConverter(Activation.SOFTMAX)),
            Map.entry("Sigmoid", new ActivationConverter(Activation.SIGMOID)),
            Map.entry("Tanh", new ActivationConverter(Activation.TANH)),
            Map.entry("MaxPool", new PoolingConverter(PoolingType.MAX, false)),
            Map.entry("AveragePool", new PoolingConverter(PoolingType.AVG, false)),
            Map.entry("GlobalAveragePool", new PoolingConverter(PoolingType.AVG, true)),
            Map.entry("GlobalMaxPool", new PoolingConverter(PoolingType.MAX, true)),
            Map.entry("LRN", new LrnConverter()),
            Map.entry("BatchNormalization", new BatchNormConverter()),
            Map.entry("Add", new AddConverter()),
            Map.entry("Sum", new AddConverter()),
            Map.entry("Concat", new ConcatConverter()),
            Map.entry("Gemm", new DenseConverter(true)),
            Map.entry("MatMul", new DenseConverter(false)),
            Map.entry("Flatten", new FlattenConverter(false)),
            Map.entry("Reshape", new FlattenConverter(true)),
            Map.entry("Dropout", new PassThroughConverter(true)),
            Map.entry("Identity", new PassThroughConverter(false)),
            Map.entry("Pad", new PadConverter()),
            Map.entry("Slice", new SliceConverter()),
            Map.entry("Shape", new ShapeArithmeticConverter(ShapeArithmeticConverter.Kind.SHAPE)),
            Map.entry("Gather", new ShapeArithmeticConverter(ShapeArithmeticConverter.Kind.GATHER)),
            Map.entry("Unsqueeze", new ShapeArithmeticConverter(ShapeArithmeticConverter.Kind.UNSQUEEZE)),
            Map.entry("Constant", new ConstantConverter()));

    private OnnxImporter() {
    }

    /** The ONNX operators this importer converts. */
    public static Set<String> supportedOperators() {
        return new TreeSet<>(CONVERTERS.keySet());
    }

    /**
     * Reads and imports an ONNX model file.
     *
     * @throws NoSuchFileException      when the file does not exist
     * @throws OnnxImportException      when the file is not ONNX or uses something the importer cannot express
     */
    public static ImportedModel importGraph(Path file) throws IOException {
        Onnx.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = Onnx.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(file + " is not an ONNX model (" + e.getMessage()
                    + "); pass a .onnx file written by torch.onnx.export or onnx.save", e);
        }
        return importModel(model, file.toString());
    }

    /**
     * Imports a parsed model.
     *
     * @param modelName names the model in error messages (usually its file)
     */
    public static ImportedModel importModel(Onnx.ModelProto model, String modelName) {
        long start = System.nanoTime();
        int opset = opset(model, modelName);
        Onnx.GraphProto g = model.getGraph();
        if (g.getNodeCount() == 0) {
            throw new OnnxImportException(modelName + " has no nodes; is it an ONNX model file?");
        }
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder();
        ImportContext ctx = new ImportContext(builder, modelName, g);

        Set<String> initializerNames = new HashSet<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            initializerNames.add(t.getName());
            ctx.define(t.getName(), OnnxValue.constant(OnnxTensors.toArray(t, modelName + " initializer")));
        }
        List<ImportedModel.Tensor> inputs = new ArrayList<>();
        List<InputType> inputTypes = new ArrayList<>();
        for (Onnx.ValueInfoProto vi : g.getInputList()) {
            if (initializerNames.contains(vi.getName())) {
                continue; // IR < 4 lists initializers among the inputs
            }
            long[] shape = inputShape(vi, modelName);
            String vertex = ctx.inputName(vi.getName());
            builder.addInputs(vertex);
            inputs.add(new ImportedModel.Tensor(vi.getName(), vertex, shape));
            OnnxValue value = OnnxValue.activation(vertex, shape);
            inputTypes.add(value.inputType(null));
            ctx.define(vi.getName(), value);
        }
        if (inputs.isEmpty()) {
            throw new UnsupportedOnnxException(modelName + " has no graph input other than initializers");
        }

        for (Onnx.NodeProto proto : g.getNodeList()) {
            OnnxNode node = new OnnxNode(proto, modelName, opset);
            if (!proto.getDomain().isEmpty() && !proto.getDomain().equals("ai.onnx")) {
                throw node.unsupported("operator domain '" + proto.getDomain() + "' is not the ONNX default");
            }
            OpConverter converter = CONVERTERS.get(proto.getOpType());
            if (converter == null) {
                throw node.unsupported("operator '" + proto.getOpType() + "' is not supported; supported: "
                        + supportedOperators());
            }
            converter.convert(node, ctx);
        }

        List<ImportedModel.Tensor> outputs = new ArrayList<>();
        for (Onnx.ValueInfoProto vi : g.getOutputList()) {
            OnnxValue v = ctx.value(vi.getName());
            if (v == null) {
                throw new OnnxImportException(modelName + ": graph output '" + vi.getName()
                        + "' is produced by no node; the model is malformed");
            }
            if (v.isConstant()) {
                throw new UnsupportedOnnxException(modelName + ": graph output '" + vi.getName()
                        + "' is a constant; DL4J graph outputs must be computed from the inputs");
            }
            String vertex = v.vertex();
            if (inputs.stream().anyMatch(t -> t.vertexName().equals(vertex))) {
                // DL4J cannot name an input as an output: pass it through an identity layer.
                String name = ctx.inputName(vi.getName() + "_identity");
                builder.addLayer(name, new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), vertex);
                v = OnnxValue.activation(name, v.shape());
            }
            outputs.add(new ImportedModel.Tensor(vi.getName(), v.vertex(), v.shape()));
        }
        builder.setOutputs(outputs.stream().map(ImportedModel.Tensor::vertexName).toArray(String[]::new));
        builder.setInputTypes(inputTypes.toArray(InputType[]::new));

        ComputationGraph graph;
        try {
            graph = new ComputationGraph(builder.build());
        } catch (RuntimeException e) {
            throw new OnnxImportException(modelName + ": DL4J rejected the imported graph: " + e.getMessage(), e);
        }
        graph.init();
        assignParameters(graph, ctx, modelName);
        LOG.info("Imported {} (opset {}): {} ONNX nodes -> {} DL4J vertices, {} parameters, in {} ms", modelName,
                opset, g.getNodeCount(), graph.getVertices().length, graph.numParams(),
                (System.nanoTime() - start) / 1_000_000);
        return new ImportedModel(graph, inputs, outputs, ctx.nodeToVertex(), opset, modelName);
    }

    private static void assignParameters(ComputationGraph graph, ImportContext ctx, String modelName) {
        for (Map.Entry<String, Map<String, INDArray>> layer : ctx.params().entrySet()) {
            Map<String, INDArray> table = graph.getLayer(layer.getKey()).paramTable();
            for (Map.Entry<String, INDArray> p : layer.getValue().entrySet()) {
                INDArray target = table.get(p.getKey());
                INDArray value = p.getValue();
                if (target == null || target.length() != value.length()) {
                    throw new IllegalStateException(modelName + ": parameter " + p.getKey() + " of layer "
                            + layer.getKey() + " has " + (target == null ? "no slot" : target.length() + " values")
                            + " in DL4J but " + value.length() + " in ONNX (importer bug)");
                }
                // Both sides are read in C order, so the copy is layout-independent (DL4J dense W is 'f').
                target.assign(value.castTo(target.dataType()).reshape('c', target.shape()));
            }
        }
    }

    private static int opset(Onnx.ModelProto model, String modelName) {
        for (Onnx.OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                long v = id.getVersion();
                boolean olderButUnchanged = v >= 1 && v < MIN_OPSET && model.getGraph().getNodeList().stream()
                        .allMatch(n -> UNCHANGED_SINCE_OPSET_1.contains(n.getOpType()));
                if ((v < MIN_OPSET && !olderButUnchanged) || v > MAX_OPSET) {
                    throw new UnsupportedOnnxException(modelName + " uses opset " + v + "; the importer supports "
                            + MIN_OPSET + " to " + MAX_OPSET + " (re-export with torch.onnx.export(...,"
                            + " opset_version=13) or convert with onnx.version_converter)");
                }
                return (int) v;
            }
        }
        throw new OnnxImportException(modelName + " declares no default-domain opset; the model is malformed");
    }

    private static long[] inputShape(Onnx.ValueInfoProto vi, String modelName) {
        if (!vi.getType().hasTensorType()) {
            throw new UnsupportedOnnxException(modelName + ": input '" + vi.getName() + "' is a "
                    + vi.getType().getValueCase() + ", not a tensor; DL4J graphs take tensors only");
        }
        Onnx.TypeProto.Tensor tt = vi.getType().getTensorType();
        if (tt.getElemType() != Onnx.TensorProto.DataType.FLOAT_VALUE) {
            throw new UnsupportedOnnxException(modelName + ": input '" + vi.getName() + "' has element type "
                    + Onnx.TensorProto.DataType.forNumber(tt.getElemType()) + "; the importer runs float32 graphs");
        }
        List<Onnx.TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            Onnx.TensorShapeProto.Dimension d = dims.get(i);
            shape[i] = d.hasDimValue() ? d.getDimValue() : -1;
            if (i > 0 && shape[i] <= 0) {
                throw new UnsupportedOnnxException(modelName + ": input '" + vi.getName() + "' dimension " + i
                        + " is not fixed (" + (d.hasDimParam() ? d.getDimParam() : "unknown") + "); only the "
                        + "batch dimension may be open. Export with a fixed input size.");
            }
        }
        if (shape.length < 2 || shape.length > 4) {
            throw new UnsupportedOnnxException(modelName + ": input '" + vi.getName() + "' has shape "
                    + java.util.Arrays.toString(shape) + "; the importer handles [N,C,H,W] images, [N,C,T] "
                    + "sequences and [N,F] feature tensors (the first dimension is the batch)");
        }
        return shape;
    }
}
