package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The recorded calibration (org/tl4j/select/calibration.json) agrees with SelectorThresholds.DEFAULT. */
class SelectorCalibrationTest {

    private static JsonNode calibration() throws IOException {
        try (InputStream in = SelectorThresholds.class.getResourceAsStream("calibration.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void recordedThresholdsAreTheDefaults() throws IOException {
        JsonNode t = calibration().get("thresholds");
        SelectorThresholds d = SelectorThresholds.DEFAULT;
        assertEquals(d.largeMinPerClass(), t.get("largeMinPerClass").asInt());
        assertEquals(d.mediumMinPerClass(), t.get("mediumMinPerClass").asInt());
        assertEquals(d.similarMinNormalisedProbe(), t.get("similarMinNormalisedProbe").asDouble());
        assertEquals(d.earlierTapMargin(), t.get("earlierTapMargin").asDouble());
        assertEquals(d.minGainOverBaseline(), t.get("minGainOverBaseline").asDouble());
    }

    @Test
    void everyRecordedCaseGetsTheRecordedChoice() throws IOException {
        JsonNode cases = calibration().get("cases");
        assertFalse(cases.isEmpty());
        for (JsonNode c : cases) {
            int[] counts = new int[c.get("classes").asInt()];
            Arrays.fill(counts, c.get("perClass").asInt());
            List<TapScores> taps = new ArrayList<>();
            if (!c.get("earlierProbe").isNull()) {
                taps.add(new TapScores("earlier", 1, c.get("earlierProbe").asDouble(), 0, 0));
            }
            taps.add(new TapScores("top", 1, c.get("topProbe").asDouble(), 0, 0));
            List<TapScores> random = c.get("randomInitProbe").isNull() ? List.of()
                    : List.of(new TapScores("top", 1, c.get("randomInitProbe").asDouble(), 0, 0));
            SelectorEvidence e = new SelectorEvidence(SizeFacts.ofCounts(counts), taps, random, OptionalDouble.empty(),
                    OptionalDouble.empty(), List.of("body", "head"), OptionalDouble.empty(), true,
                    c.path("batchNorm").asBoolean(true));
            assertEquals(Strategy.valueOf(c.get("selectorChoice").asText()),
                    StrategySelector.withDefaults().advise(e).strategy(), c.get("name").asText());
        }
    }
}
