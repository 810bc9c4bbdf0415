package org.tl4j.datasets.glyphs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds TrueType and OpenType font files ({@code .ttf}, {@code .otf}) under a folder, such as /usr/share/fonts. */
public final class FontFiles {

    /** Where Debian's fonts-* packages install their files. */
    public static final Path DEBIAN_FONTS = Path.of("/usr/share/fonts");

    private FontFiles() {
    }

    /** Font files under {@code root}, sorted by path; links to a file already listed are dropped. */
    public static List<Path> scan(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.walk(root)) {
            candidates = files.filter(FontFiles::isFontFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root + " for font files", e);
        }
        Set<Path> realPaths = new LinkedHashSet<>();
        List<Path> unique = new ArrayList<>();
        for (Path candidate : candidates) {
            try {
                if (realPaths.add(candidate.toRealPath())) {
                    unique.add(candidate);
                }
            } catch (IOException e) {
                // A dangling link (a font package half removed) is not a font to use.
            }
        }
        return unique;
    }

    private static boolean isFontFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".ttf") || name.endsWith(".otf")) && Files.isRegularFile(path);
    }
}
