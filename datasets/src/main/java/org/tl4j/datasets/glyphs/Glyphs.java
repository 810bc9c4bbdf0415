package org.tl4j.datasets.glyphs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tl4j.datasets.ClassSelection;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DatasetManifest;
import org.tl4j.datasets.DebianPackages;
import org.tl4j.datasets.ImageFolderWriter;
import org.tl4j.datasets.Parallel;
import org.tl4j.datasets.PrepareOptions;
import org.tl4j.datasets.PreparedDataset;
import org.tl4j.datasets.Seeds;
import org.tl4j.datasets.StagingDirectory;
import org.tl4j.datasets.StratifiedSampler;

/**
 * tl4j's broad source dataset, the offline stand-in for ImageNet: the 62 characters 0-9, A-Z, a-z rendered from
 * every installed Latin font that really draws them, 28x28 white on black, augmented from the seed, with about
 * 10% of font families held out as {@code val/}. The manifest lists every font used (path, family, SHA-256) and
 * every font rejected, with the reason.
 */
public final class Glyphs {

    public static final String NAME = "glyphs";
    /** The Debian font packages this dataset is drawn from (installed with --install-packages). */
    public static final String PACKAGES_RESOURCE = "glyph-font-packages.txt";

    private Glyphs() {
    }

    /** The font packages listed in {@link #PACKAGES_RESOURCE}. */
    public static List<String> fontPackages() {
        try (InputStream in = Glyphs.class.getResourceAsStream(PACKAGES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGES_RESOURCE + " is missing from the tl4j-datasets jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PACKAGES_RESOURCE, e);
        }
    }

    /** One image to render. */
    private record Item(GlyphFont font, int classIndex, int variant, String split) {
        int label() {
            return classIndex;
        }
    }

    public static PreparedDataset prepare(PrepareOptions options, GlyphOptions glyph) {
        long start = System.nanoTime();
        if (glyph.perFont() < 1) {
            throw new DatasetException("--per-font " + glyph.perFont() + ": must be at least 1");
        }
        if (glyph.maxFonts() != null && glyph.maxFonts() < 2) {
            throw new DatasetException("--max-fonts " + glyph.maxFonts() + ": must be at least 2 (one family per split)");
        }
        ClassSelection selection = ClassSelection.parse(options.classes(), GlyphClasses.NAMES);
        List<Path> files = findFonts(options, glyph);

        long checkStart = System.nanoTime();
        FontSelection fonts = FontSelection.check(files, glyph.maxFonts(), options.seed(), options.threads(), options.progress());
        if (fonts.accepted().size() < 2) {
            throw new DatasetException("only " + fonts.accepted().size() + " of " + files.size() + " font files under "
                    + glyph.fontsFolder() + " draw all 62 characters as Latin letters; install the font packages with `"
                    + DebianPackages.aptCommand(fontPackages()) + "`, or rerun with --install-packages as root");
        }
        Set<String> valFamilies = FamilySplit.heldOutFamilies(fonts.accepted(), glyph.valFamilies(), options.seed());
        long familyCount = fonts.accepted().stream().map(GlyphFont::family).distinct().count();
        options.progress().report(NAME + ": " + files.size() + " font files, " + fonts.accepted().size() + " pass, "
                + familyCount + " families (" + valFamilies.size() + " held out for validation); fonts checked in "
                + String.format("%.1f s", (System.nanoTime() - checkStart) / 1e9));

        List<Item> train = new ArrayList<>();
        List<Item> val = new ArrayList<>();
        for (GlyphFont font : fonts.accepted()) {
            boolean isVal = valFamilies.contains(font.family());
            for (int cls : selection.indices()) {
                for (int k = 0; k < glyph.perFont(); k++) {
                    (isVal ? val : train).add(new Item(font, cls, k, isVal ? "val" : "train"));
                }
            }
        }
        if (options.perClass() != null) {
            train = StratifiedSampler.limitPerClass(train, Item::label, options.perClass(), options.seed());
        }
        List<Item> all = new ArrayList<>(train);
        all.addAll(val);

        try (StagingDirectory staging = StagingDirectory.begin(options.out())) {
            ImageFolderWriter writer = new ImageFolderWriter(staging.path());
            Parallel.forEach(all, options.threads(), options.progress(), NAME + ": images written", item -> {
                Augmentation augmentation = Augmentation.draw(
                        Seeds.mix(options.seed(), item.font().seedKey(), item.classIndex(), item.variant()));
                writer.write(item.split(), GlyphClasses.NAMES.get(item.classIndex()),
                        item.font().fileId() + "-" + item.variant() + ".png",
                        GlyphRenderer.render(item.font(), item.classIndex(), augmentation));
            });
            List<String> classNames = selection.indices().stream().map(GlyphClasses.NAMES::get).toList();
            Map<String, Map<String, Integer>> counts = writer.counts(List.of("train", "val"), classNames);
            double seconds = (System.nanoTime() - start) / 1e9;
            manifest(options, glyph, files, fonts, valFamilies, familyCount, classNames, counts, seconds)
                    .writeTo(staging.path());
            staging.commit();
            return new PreparedDataset(staging.target(), counts, writer.total(), seconds);
        }
    }

    private static List<Path> findFonts(PrepareOptions options, GlyphOptions glyph) {
        List<String> packages = fontPackages();
        if (options.installPackages()) {
            List<String> missing = DebianPackages.notInstalled(packages);
            if (!missing.isEmpty()) {
                DebianPackages.install(missing, true, missing.size() + " of the " + packages.size()
                        + " glyph font packages are not installed", "", options.progress());
            }
        }
        options.progress().report(NAME + ": scanning " + glyph.fontsFolder() + " for .ttf/.otf files");
        List<Path> files = FontFiles.scan(glyph.fontsFolder());
        if (files.isEmpty()) {
            DebianPackages.install(packages, options.installPackages(), "there are no .ttf/.otf files under "
                    + glyph.fontsFolder(), ", or point --fonts-dir at a folder of fonts", options.progress());
            files = FontFiles.scan(glyph.fontsFolder());
        }
        if (!options.installPackages()) {
            int missing = DebianPackages.notInstalled(packages).size();
            if (missing > 0) {
                options.progress().report(NAME + ": note: " + missing + " of the " + packages.size() + " glyph font"
                        + " packages are not installed; --install-packages (as root) adds them");
            }
        }
        return files;
    }

    private static DatasetManifest manifest(PrepareOptions options, GlyphOptions glyph, List<Path> files,
                                            FontSelection fonts, Set<String> valFamilies, long familyCount,
                                            List<String> classNames, Map<String, Map<String, Integer>> counts,
                                            double seconds) {
        List<Map<String, Object>> used = new ArrayList<>();
        for (GlyphFont font : fonts.accepted()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", font.path().toString());
            entry.put("family", font.family());
            entry.put("javaFamily", font.javaFamily());
            entry.put("name", font.fontName());
            entry.put("sha256", font.sha256());
            entry.put("split", valFamilies.contains(font.family()) ? "val" : "train");
            entry.put("latinMatches", font.latinMatches());
            used.add(entry);
        }
        List<Map<String, Object>> rejected = fonts.rejected().stream()
                .map(r -> Map.<String, Object>of("path", r.path().toString(), "reason", r.reason())).toList();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("classes", String.valueOf(options.classes()));
        settings.put("perClass", String.valueOf(options.perClass()));
        settings.put("perFont", glyph.perFont());
        settings.put("maxFonts", String.valueOf(glyph.maxFonts()));
        settings.put("valFamilies", glyph.valFamilies());
        settings.put("seed", options.seed());
        Map<String, Object> fontSummary = new LinkedHashMap<>();
        fontSummary.put("folder", glyph.fontsFolder().toString());
        fontSummary.put("filesFound", files.size());
        fontSummary.put("filesChecked", fonts.accepted().size() + fonts.rejected().size());
        fontSummary.put("filesUsed", fonts.accepted().size());
        fontSummary.put("families", familyCount);
        fontSummary.put("valFamilies", valFamilies);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", "debian-font-packages");
        source.put("packages", fontPackages());
        source.put("renderer", "Java2D " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return new DatasetManifest(NAME, "The 62 characters 0-9, A-Z, a-z rendered from installed Latin fonts, 28x28,"
                + " white on black, one size per font, augmented (scale, rotation, shift, stroke, blur, noise) from the"
                + " seed; val/ holds whole font families; file name = font file, hash prefix, variant")
                .put("source", source)
                .put("classes", classNames)
                .put("options", settings)
                .put("image", Map.of("width", GlyphRenderer.SIDE, "height", GlyphRenderer.SIDE, "channels", 1, "format", "png"))
                .put("counts", counts)
                .put("seconds", Math.round(seconds * 10) / 10.0)
                .put("fontSummary", fontSummary)
                .put("fonts", used)
                .put("rejectedFonts", rejected);
    }

    /** The fonts that passed {@link FontCheck} (duplicates of one file removed) and those that did not. */
    record FontSelection(List<GlyphFont> accepted, List<FontCheck.Rejected> rejected) {

        /**
         * Checks fonts in path order, or, with {@code maxFonts}, in a seeded shuffled order until that many passed
         * (checked in parallel batches; the result does not depend on the thread count).
         */
        static FontSelection check(List<Path> files, Integer maxFonts, long seed, int threads,
                                   org.tl4j.datasets.Progress progress) {
            List<Path> order = new ArrayList<>(files);
            if (maxFonts != null) {
                Collections.shuffle(order, new Random(Seeds.mix(seed, 4)));
            }
            FontCheck check = new FontCheck(LatinReference.fromLogicalFonts());
            int batch = maxFonts == null ? order.size() : Math.max(threads * 4, maxFonts);
            Map<String, Path> seenHashes = new HashMap<>();
            List<GlyphFont> accepted = new ArrayList<>();
            List<FontCheck.Rejected> rejected = new ArrayList<>();
            for (int from = 0; from < order.size() && (maxFonts == null || accepted.size() < maxFonts); from += batch) {
                List<Path> slice = order.subList(from, Math.min(order.size(), from + batch));
                FontCheck.Result[] checked = new FontCheck.Result[slice.size()];
                List<Integer> indices = new ArrayList<>();
                for (int i = 0; i < slice.size(); i++) {
                    indices.add(i);
                }
                Parallel.forEach(indices, threads, progress, NAME + ": fonts checked",
                        i -> checked[i] = check.check(slice.get(i)));
                for (FontCheck.Result result : checked) {
                    if (maxFonts != null && accepted.size() >= maxFonts) {
                        break;
                    }
                    if (result instanceof FontCheck.Accepted ok) {
                        Path twin = seenHashes.putIfAbsent(ok.font().sha256(), ok.path());
                        if (twin == null) {
                            accepted.add(ok.font());
                        } else {
                            rejected.add(new FontCheck.Rejected(ok.path(), "the same file as " + twin));
                        }
                    } else {
                        rejected.add((FontCheck.Rejected) result);
                    }
                }
            }
            return new FontSelection(accepted, rejected);
        }
    }
}
