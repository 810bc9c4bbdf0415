package org.tl4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.GraphCost;
import org.tl4j.zoo.arch.LayerCost;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;
import org.tl4j.zoo.spec.UnknownAdapterException;
import org.tl4j.zoo.spec.WeightSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl4j zoo info ID}: everything an adapter descriptor says, with the graph's sizes and costs. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Show an adapter: architecture, input, head, taps, layer groups, weights, and parameters and "
                + "multiply-adds per layer and in total (from the graph's shapes; nothing is downloaded or allocated).")
final class ZooInfoCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Adapter id, as `tl4j zoo list` shows it.")
    private String id;

    @Option(names = "--json", description = "Print as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        AdapterSpec adapter;
        try {
            adapter = AdapterRegistry.standard().get(id);
        } catch (UnknownAdapterException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        GraphCost cost = Architectures.cost(adapter);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(asJson(adapter, cost)));
        } else {
            printText(out, adapter, cost);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> asJson(AdapterSpec adapter, GraphCost cost) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("spec", adapter);
        json.put("trainableParameters", cost.trainableParameters());
        json.put("dl4jParameters", cost.parameters());
        json.put("multiplyAdds", cost.multiplyAdds());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (LayerGroup group : adapter.groups()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", group.name());
            g.put("lrMultiplier", group.lrMultiplier());
            g.put("layers", trainableLayersOf(group, cost));
            g.put("trainableParameters", trainableParametersOf(group, cost));
            groups.add(g);
        }
        json.put("groups", groups);
        json.put("layers", cost.layers());
        return json;
    }

    private static void printText(PrintWriter out, AdapterSpec a, GraphCost cost) {
        out.printf("%s: %s%n", a.id(), a.description());
        out.printf("architecture  %s, variant %s, width %s (builder %s)%n", a.architecture().name(),
                a.architecture().variant(), a.architecture().width(), a.architecture().builder());
        out.printf("input         %s%n", a.input());
        out.printf("head          %s, %d classes%s%n", a.head().layer(), a.head().classes(),
                a.head().classNames() == null ? "" : ", names in " + a.head().classNames());
        out.printf("parameters    %,d trainable (%,d as DL4J stores them, BatchNorm statistics included)%n",
                cost.trainableParameters(), cost.parameters());
        out.printf("multiply-adds %,d per image (%s)%n", cost.multiplyAdds(), giga(cost.multiplyAdds()));
        out.println();
        out.println("taps (default: " + a.defaultTap() + ")");
        for (Tap tap : a.taps()) {
            out.printf("  %-14s layer %-22s size %s%n", tap.name(), tap.layer(), shape(tap.shape()));
        }
        out.println();
        out.println("layer groups, early to late");
        for (LayerGroup group : a.groups()) {
            out.printf("  %-12s lr x%-6s %3d layers %,13d parameters  %s%n", group.name(), group.lrMultiplier(),
                    trainableLayersOf(group, cost).size(), trainableParametersOf(group, cost),
                    String.join(" ", group.layers()));
        }
        out.println();
        out.println("weights");
        if (a.weights().isEmpty()) {
            out.println("  none yet (the graph can be built with random weights)");
        }
        for (WeightSource w : a.weights()) {
            out.printf("  %s %s sha256 %s, %,d bytes, licence %s, from %s%n", w.format(), w.uri(), w.sha256(),
                    w.sizeBytes(), w.licence(), w.origin());
        }
        out.println();
        String format = "  %-34s %-27s %-14s %,12d %,16d%n";
        out.printf("  %-34s %-27s %-14s %12s %16s%n", "LAYER", "KIND", "OUTPUT", "PARAMETERS", "MULTIPLY-ADDS");
        for (LayerCost layer : cost.layers()) {
            out.printf(format, layer.name(), layer.kind(), layer.outputShapeText(), layer.trainable(),
                    layer.multiplyAdds());
        }
        out.printf(format, "total", "", "", cost.trainableParameters(), cost.multiplyAdds());
    }

    private static List<String> trainableLayersOf(LayerGroup group, GraphCost cost) {
        return cost.layers().stream().filter(l -> l.parameters() > 0 && group.contains(l.name()))
                .map(LayerCost::name).toList();
    }

    private static long trainableParametersOf(LayerGroup group, GraphCost cost) {
        return cost.layers().stream().filter(l -> group.contains(l.name())).mapToLong(LayerCost::trainable).sum();
    }

    private static String shape(int[] shape) {
        StringBuilder text = new StringBuilder();
        for (int d : shape) {
            text.append(text.length() == 0 ? "" : "x").append(d);
        }
        return text.toString();
    }

    private static String giga(long n) {
        return String.format("%.2f G", n / 1e9);
    }
}
