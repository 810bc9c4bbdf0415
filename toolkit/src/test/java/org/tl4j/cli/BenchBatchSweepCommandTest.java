package org.tl4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench batch-sweep}'s options: bad values exit 2 with one line naming the option, before any work. */
class BenchBatchSweepCommandTest {

    @TempDir
    Path temp;

    private void refused(String expected, String... options) {
        String[] args = new String[options.length + 6];
        args[0] = "bench";
        args[1] = "batch-sweep";
        args[2] = "--work";
        args[3] = temp.resolve("work").toString();
        args[4] = "--out";
        args[5] = temp.resolve("out").toString();
        System.arraycopy(options, 0, args, 6, options.length);
        String[] run = CapturedRun.run(args);
        assertEquals("2", run[0], run[1] + run[2]);
        assertTrue(run[2].contains(expected), run[2]);
        assertFalse(Files.exists(temp.resolve("work")), "nothing is prepared before the options are checked");
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void badOptionsAreUserErrorsNamingTheOption() {
        refused("--batches: batch size 0 is not a positive number", "--batches", "8,0");
        refused("--batches lists a batch size twice", "--batches", "8,8");
        refused("--target-accuracy must be a validation accuracy in (0, 1]", "--target-accuracy", "1.5");
        refused("--target-accuracy must be a validation accuracy in (0, 1]", "--target-accuracy", "0");
        refused("--strategy linear: the sweep trains a network", "--strategy", "linear");
        refused("--strategy 'bogus'", "--strategy", "bogus");
        refused("--lr-scaling: unknown scaling 'cubic'", "--lr-scaling", "cubic");
        refused("--targets: unknown target 'cifar'", "--target", "cifar");
        refused("--max-epochs must be at least 1", "--max-epochs", "0");
        refused("--evals-per-epoch must be at least 1", "--evals-per-epoch", "0");
        refused("--size: 0 images per class", "--size", "0");
    }

    @Test
    void theDefaultsAreThoseTheHelpPromises() {
        BenchBatchSweepCommand command = new BenchBatchSweepCommand();
        picocli.CommandLine line = new picocli.CommandLine(command);
        line.parseArgs("--work", "w", "--out", "o");
        assertEquals(java.util.List.of(8, 16, 32, 64, 128, 256, 512), command.batches);
        assertEquals("resnet-small.glyphs", command.model);
        assertEquals("fine-tune-all", command.strategy);
        assertEquals("digits", command.target);
        assertEquals(10, command.maxEpochs);
        assertEquals("none", command.lrScaling);
    }
}
