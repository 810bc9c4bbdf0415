package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ZooCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void listShowsEveryAdapterWithItsParameterCountAndWeights() {
        assertEquals(ExitCodes.OK, run("zoo", "list"));
        String text = out.toString();
        assertTrue(text.contains("resnet50.imagenet") && text.contains("25,557,032"), text);
        assertTrue(text.contains("alexnet.imagenet") && text.contains("60,965,224") && text.contains("227x227 BGR"), text);
        assertTrue(text.contains("googlenet-small"), text);
        assertTrue(text.lines().skip(1).allMatch(line -> line.endsWith("none") || line.endsWith("available")), text);
    }

    @Test
    void listAsJsonHasOneObjectPerAdapter() throws Exception {
        assertEquals(ExitCodes.OK, run("zoo", "list", "--json"));
        JsonNode rows = Json.MAPPER.readTree(out.toString());
        assertEquals(org.tl4j.zoo.spec.AdapterRegistry.builtIn().ids().size(), rows.size());
        assertEquals(6_998_552L, find(rows, "googlenet.imagenet").get("parameters").asLong());
        assertTrue(rows.get(0).has("weights"));
    }

    @Test
    void infoShowsTapsGroupsAndPerLayerCosts() {
        assertEquals(ExitCodes.OK, run("zoo", "info", "resnet50-torchvision.imagenet"));
        String text = out.toString();
        assertTrue(text.contains("res4f          layer res4f_relu             size 1024x14x14"), text);
        assertTrue(text.contains("head         lr x1.0      1 layers     2,049,000 parameters  fc1000"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+conv1\\s+ConvolutionLayer\\s+64x112x112\\s+9,408\\s+118,013,952")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+total\\s+25,557,032\\s+4,089,184,256")), text);
    }

    @Test
    void infoAsJsonHasSpecGroupsAndLayers() throws Exception {
        assertEquals(ExitCodes.OK, run("zoo", "info", "alexnet-small", "--json"));
        JsonNode json = Json.MAPPER.readTree(out.toString());
        assertEquals("alexnet-small", json.get("spec").get("id").asText());
        assertEquals(64, json.get("spec").get("input").get("height").asInt());
        assertEquals("fc7", json.get("spec").get("defaultTap").asText());
        JsonNode head = json.get("groups").get(json.get("groups").size() - 1);
        assertEquals("fc8", head.get("layers").get(0).asText());
        long sum = 0;
        for (JsonNode layer : json.get("layers")) {
            sum += layer.get("trainable").asLong();
        }
        assertEquals(json.get("trainableParameters").asLong(), sum);
    }

    @Test
    void unknownIdIsExitTwoNamingTheKnownIds() {
        assertEquals(ExitCodes.BAD_INPUT, run("zoo", "info", "resnet51"));
        String message = err.toString();
        assertTrue(message.contains("resnet51") && message.contains("resnet50.imagenet")
                && message.contains("alexnet.imagenet"), message);
    }

    @Test
    void zooWithoutSubcommandIsAUsageError() {
        assertEquals(ExitCodes.BAD_INPUT, run("zoo"));
    }

    private static JsonNode find(JsonNode rows, String id) {
        for (JsonNode row : rows) {
            if (row.get("id").asText().equals(id)) {
                return row;
            }
        }
        throw new AssertionError("no row " + id);
    }
}
