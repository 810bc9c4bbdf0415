package org.tl4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.tl4j.zoo.weights.CachedWeights;
import org.tl4j.zoo.weights.VerifyReport;
import org.tl4j.zoo.weights.WeightStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo verify}: rehashes every cached weight file and removes the ones that no longer match. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Rehash every cached weight file (SHA-256); remove those that do not match and say which."
                + " Exit code 1 when any was bad.")
final class ZooVerifyCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Mixin
    private WeightOptions weightOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WeightStore store = WeightStore.open(weightOptions.settings());
        VerifyReport report = store.verifyAll();
        PrintWriter out = spec.commandLine().getOut();
        for (CachedWeights good : report.good()) {
            out.printf("ok       %s  %s%n", good.sha256(), good.file());
        }
        report.removed().forEach(bad -> out.printf("REMOVED  %s%n", bad));
        out.printf("%d good, %d removed, cache %s%n", report.good().size(), report.removed().size(), store.root());
        return report.allGood() ? ExitCodes.OK : ExitCodes.RUN_FAILURE;
    }
}
