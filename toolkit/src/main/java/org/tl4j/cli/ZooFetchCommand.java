package org.tl4j.cli;

import java.io.PrintWriter;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo fetch ID}: downloads an adapter's weight files into the cache, verified. */
@Command(name = "fetch",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Download an adapter's weight files into the cache (SHA-256 verified, atomic; a cached, verified"
                + " file is not downloaded again). Offline? Download elsewhere and use: tl4j zoo import FILE --as ID")
final class ZooFetchCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weightOptions;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Adapter id, as listed by: tl4j zoo list")
    private String id;

    @Override
    public Integer call() throws Exception {
        AdapterSpec adapter = AdapterRegistry.standard().get(id);
        if (!adapter.hasWeights()) {
            throw new InvalidInputException("adapter " + id + " lists no weight source (it is an architecture to train"
                    + " from scratch or to import weights into); see: tl4j zoo info " + id);
        }
        WeightResolver resolver = new WeightResolver(weightOptions.settings(), null);
        PrintWriter out = spec.commandLine().getOut();
        for (WeightSource source : adapter.weights()) {
            CachedWeights cached = resolver.fetch(source, id);
            out.printf("%s  %s  %,d bytes  %s%n", id, cached.sha256(), cached.sizeBytes(), cached.file());
        }
        return ExitCodes.OK;
    }
}
