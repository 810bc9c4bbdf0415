package org.tl4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.tl4j.train.FitOptions;
import org.tl4j.train.Strategy;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Example: fine-tune an adapter on an image folder from the Java API, what {@code ./tl4j fit --strategy
 * fine-tune} does.
 * <p>
 * {@code java -cp ... org.tl4j.examples.FineTuneFolder DIR RUN [MODEL] [EPOCHS]}
 */
public final class FineTuneFolder {

    private FineTuneFolder() {
    }

    /**
     * Fine-tunes {@code adapterId} on {@code folder} (seeded 70/15/15 split, early stopping, best weights kept)
     * for at most {@code epochs} epochs; the run folder {@code out} gets model.zip, run.json and metrics.json.
     */
    public static TransferTraining.FitResult fit(Path folder, String adapterId, int epochs, Path out)
            throws IOException {
        FitOptions options = FitOptions.builder(folder, adapterId, Strategy.FINE_TUNE).maxEpochs(epochs).seed(42)
                .build();
        return new TransferTraining(options, WeightSettings.fromEnvironment(), null).progress(false).fit(out, false);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: FineTuneFolder DIR RUN [MODEL] [EPOCHS]");
            System.exit(2);
        }
        String model = args.length > 2 ? args[2] : "resnet50-small";
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        TransferTraining.FitResult r = fit(Path.of(args[0]), model, epochs, Path.of(args[1]));
        System.out.printf("test accuracy %.4f on %d images -> %s%n", r.test().accuracy(), r.test().images(),
                r.runFolder());
    }
}
