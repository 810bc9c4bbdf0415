package org.tl4j.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.runtime.RuntimeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl4j env}: what tl4j will compute with on this machine. */
@Command(name = "env",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Print the ND4J backend, native build, BLAS, threads, Java version, heap and off-heap limits.")
final class EnvCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Option(names = "--json", description = "Print as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, String> facts = RuntimeReport.collect();
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(facts));
        } else {
            int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0);
            facts.forEach((key, value) -> System.out.printf("%-" + width + "s  %s%n", key, value));
        }
        return ExitCodes.OK;
    }
}
