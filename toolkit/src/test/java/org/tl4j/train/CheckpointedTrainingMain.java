package org.tl4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.ImageFolderIterator;
import org.tl4j.zoo.arch.LayerHelpers;

/**
 * The training process {@link CheckpointResumeTest} kills and restarts: trains {@link CheckpointTestRun}'s run
 * with checkpoints, resuming from the folder's newest one, then writes the final parameters.
 *
 * <p>Arguments: data folder, checkpoint folder, total updates, checkpoint every N updates, milliseconds to sleep
 * after each update (gives the test time to kill it mid-run), file for the final parameters.
 */
public final class CheckpointedTrainingMain {

    private CheckpointedTrainingMain() {
    }

    public static void main(String[] args) throws Exception {
        LayerHelpers.enableUnlessUserChose(); // as ./tl4j does: the parent's uninterrupted run had them
        Path data = Path.of(args[0]);
        Checkpoints store = new Checkpoints(Path.of(args[1]),
                CheckpointPolicy.everyUpdates(Long.parseLong(args[3]), 2));
        long total = Long.parseLong(args[2]);
        long sleep = Long.parseLong(args[4]);
        CheckpointedTraining.Result result;
        try (ImageFolderIterator iterator = CheckpointTestRun.iterator(data)) {
            result = new CheckpointedTraining(store).listener(iteration -> {
                System.out.println("update " + iteration);
                sleepQuietly(sleep);
            }).run(CheckpointTestRun::freshGraph, iterator, null, total);
        }
        System.out.println("resumed from " + result.resumedFrom().map(c -> String.valueOf(c.state().iteration()))
                .orElse("nothing") + ", did " + result.updates() + " updates");
        Path out = Path.of(args[5]);
        Path temp = out.resolveSibling(out.getFileName() + ".tmp");
        Nd4j.saveBinary(result.graph().params(), temp.toFile());
        Files.move(temp, out);
        System.exit(0);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
