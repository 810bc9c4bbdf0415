package org.tl4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import onnx.Onnx;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.onnx.ExportOptions;
import org.tl4j.zoo.onnx.OnnxExportException;
import org.tl4j.zoo.onnx.OnnxExporter;
import org.tl4j.zoo.onnx.OnnxMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j export --model ID|RUN/model.zip --out FILE.onnx [--tap NAME]}: a model as an ONNX file. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Write a model as ONNX (opset 13, NCHW float32, any batch size), with its preprocessing in the"
                + " file's metadata. With --tap the graph is cut there, so the file computes CNN codes.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weights;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "ID|ZIP",
            description = "Adapter id (see tl4j zoo list), a run's model.zip (tl4j fit), or a DL4J model zip.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "The ONNX file to write.")
    Path out;

    @Option(names = "--tap", paramLabel = "NAME", description = "Cut the graph at this tap (or layer): its output"
            + " is the file's only output.")
    String tap;

    @Option(names = "--pool", description = "With --tap: average a feature map over height and width, so the file"
            + " outputs one vector per image.")
    boolean pool;

    @Option(names = "--adapter", paramLabel = "ID", description = "With a model zip: the adapter it was trained"
            + " from, for its input size and preprocessing.")
    String adapter;

    @Option(names = "--input-shape", paramLabel = "C,H,W", description = "With a model zip and no --adapter: the"
            + " input size.")
    String inputShape;

    @Option(names = "--untrained", description = "With an adapter id: export its architecture with seeded random"
            + " weights instead of its pretrained weights.")
    boolean untrained;

    @Option(names = "--seed", description = "Seed of the random weights for --untrained.")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        if (pool && tap == null) {
            throw new InvalidInputException("--pool needs --tap (the layer whose output is pooled)");
        }
        if (!out.getFileName().toString().endsWith(".onnx")) {
            throw new InvalidInputException("--out " + out + " should end in .onnx");
        }
        if (Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + " is a folder; give a file name ending in .onnx");
        }
        ModelArgument m = ModelArgument.resolve(model, adapter, inputShape, untrained, seed, weights.settings());
        ExportOptions options = new ExportOptions(m.label(), null, false, m.metadata(), m.inputShape());
        if (tap != null) {
            String layer = m.layerFor(tap);
            options = options.withCut(layer, pool).withMetadata(OnnxMetadata.ofTap(tap, layer, pool));
        }
        Onnx.ModelProto written;
        try {
            written = OnnxExporter.write(m.graph(), options, out);
        } catch (OnnxExportException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        Onnx.ValueInfoProto output = written.getGraph().getOutput(0);
        spec.commandLine().getOut().printf("wrote %s: %s, %d nodes, output '%s', %,d bytes%n", out, m.label(),
                written.getGraph().getNodeCount(), output.getName(), Files.size(out));
        return ExitCodes.OK;
    }
}
