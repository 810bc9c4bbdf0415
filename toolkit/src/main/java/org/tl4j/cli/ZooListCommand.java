package org.tl4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.GraphCost;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo list}: one line per adapter. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "List the adapters: id, architecture, input, classes, parameters, whether weights are available.")
final class ZooListCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print as a JSON array.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AdapterSpec adapter : AdapterRegistry.standard().all()) {
            GraphCost cost = Architectures.cost(adapter);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", adapter.id());
            row.put("architecture", adapter.architecture().name() + "/" + adapter.architecture().variant()
                    + (adapter.architecture().width() == 1.0 ? "" : " x" + adapter.architecture().width()));
            row.put("input", adapter.input().height() + "x" + adapter.input().width() + " "
                    + adapter.input().channelOrder());
            row.put("classes", adapter.head().classes());
            row.put("parameters", cost.trainableParameters());
            row.put("weights", adapter.hasWeights());
            rows.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(rows));
        } else {
            String format = "%-32s %-28s %-13s %7s %12s  %s%n";
            out.printf(format, "ID", "ARCHITECTURE", "INPUT", "CLASSES", "PARAMETERS", "WEIGHTS");
            for (Map<String, Object> row : rows) {
                out.printf(format, row.get("id"), row.get("architecture"), row.get("input"), row.get("classes"),
                        String.format("%,d", (Long) row.get("parameters")),
                        (Boolean) row.get("weights") ? "available" : "none");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
