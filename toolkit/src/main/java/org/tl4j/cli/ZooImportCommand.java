package org.tl4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.WeightSource;
import org.tl4j.zoo.weights.CachedWeights;
import org.tl4j.zoo.weights.WeightResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo import FILE --as ID}: places a weight file obtained by hand into the cache, after checking it. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Place a weight file you downloaded yourself into the cache as adapter ID's weights. The file"
                + " must match the checksum the adapter lists; the original is left where it is.")
final class ZooImportCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weightOptions;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The weight file (.onnx or DL4J .zip).")
    private Path file;

    @Option(names = "--as", required = true, paramLabel = "ID", description = "Adapter id the file belongs to.")
    private String id;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("no such file: " + file + " (give the path of the downloaded weight file)");
        }
        AdapterSpec adapter = AdapterRegistry.standard().get(id);
        WeightSource source = sourceFor(adapter, file);
        CachedWeights placed = new WeightResolver(weightOptions.settings(), null).importFile(file, source);
        spec.commandLine().getOut().printf("imported %s as %s: %s (%,d bytes, sha256 %s)%n",
                file, id, placed.file(), placed.sizeBytes(), placed.sha256());
        return ExitCodes.OK;
    }

    /** The adapter's source of the file's format; with several, the one whose size matches the file. */
    private static WeightSource sourceFor(AdapterSpec adapter, Path file) throws java.io.IOException {
        WeightSource.Format format = file.getFileName().toString().toLowerCase().endsWith(".onnx")
                ? WeightSource.Format.ONNX : WeightSource.Format.DL4J_ZIP;
        List<WeightSource> candidates = adapter.weights().stream().filter(s -> s.format() == format).toList();
        if (candidates.isEmpty()) {
            throw new InvalidInputException("adapter " + adapter.id() + " lists no " + format + " weight source, so "
                    + file + " cannot be checked against one; see: tl4j zoo info " + adapter.id());
        }
        long size = Files.size(file);
        return candidates.stream().filter(s -> s.sizeBytes() == size).findFirst().orElse(candidates.get(0));
    }
}
