package org.tl4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tl4j.data.ImageFolder;
import org.tl4j.data.Manifest;
import org.tl4j.data.ScanOptions;
import org.tl4j.data.Splits;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl4j split}: make (or reuse) the train/val/test splits of a run. */
@Command(name = "split",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Split an image folder into train/val/test, stratified by class and seeded (or as its"
                + " train/val/test folders say), save RUN/splits.json and print the images per class. Reruns"
                + " reuse the saved splits; changed data is an error, so the test set never leaks into tuning.")
final class SplitCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Image folder or CSV manifest.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder; splits.json goes here.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the stratified shuffle.")
    long seed = Splits.DEFAULT_SEED;

    @Option(names = "--fractions", paramLabel = "TRAIN,VAL,TEST", converter = FractionsConverter.class,
            description = "Shares in percent (or fractions summing to 1).")
    Splits.Fractions fractions = Splits.Fractions.DEFAULT;

    /** Parses --fractions; a bad value is a usage error (exit 2). */
    static final class FractionsConverter implements ITypeConverter<Splits.Fractions> {
        @Override
        public Splits.Fractions convert(String value) {
            try {
                return Splits.Fractions.parse(value);
            } catch (org.tl4j.data.InvalidInputException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Manifest manifest = ImageFolder.scan(data, ScanOptions.defaults().withProgress(!common.quiet()));
        Splits.Resolved resolved = Splits.loadOrCreate(out, manifest, fractions, seed);
        Splits splits = resolved.splits();
        System.out.printf(Locale.ROOT, "%s %s (%s, seed %d, %s)%n", resolved.reused() ? "reused" : "wrote",
                resolved.file(), splits.source().name().toLowerCase(Locale.ROOT), splits.seed(),
                splits.fractions());
        Map<String, Map<Splits.Part, Integer>> counts = splits.countsPerClass(manifest);
        int width = Math.max(5, counts.keySet().stream().mapToInt(String::length).max().orElse(5));
        System.out.printf(Locale.ROOT, "%-" + width + "s %8s %8s %8s%n", "class", "train", "val", "test");
        int[] total = new int[3];
        counts.forEach((label, row) -> {
            System.out.printf(Locale.ROOT, "%-" + width + "s %8d %8d %8d%n", label, row.get(Splits.Part.TRAIN),
                    row.get(Splits.Part.VAL), row.get(Splits.Part.TEST));
            total[0] += row.get(Splits.Part.TRAIN);
            total[1] += row.get(Splits.Part.VAL);
            total[2] += row.get(Splits.Part.TEST);
        });
        System.out.printf(Locale.ROOT, "%-" + width + "s %8d %8d %8d%n", "total", total[0], total[1], total[2]);
        return ExitCodes.OK;
    }
}
