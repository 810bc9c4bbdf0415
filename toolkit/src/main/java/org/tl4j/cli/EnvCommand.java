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
        description = "Print the backend tl4j was built with, the ND4J backend, native build, BLAS, threads,"
                + " Java version, heap and off-heap limits.")
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
        System.out.flush();
        String failure = facts.get(RuntimeReport.ND4J_ERROR);
        if (failure != null) {
            String built = facts.get("backend.built");
            String fix = built.startsWith("cuda")
                    ? "To run on the CPU instead, rebuild without -Pcuda: mvn -B -q -DskipTests package"
                    : "Rerun with --verbose and check that the build finished: mvn -B -q -DskipTests package";
            throw new IllegalStateException("ND4J could not start the backend this tl4j was built with, "
                    + built + ": " + failure + ". " + fix);
        }
        return ExitCodes.OK;
    }
}
