package org.tl4j.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.tl4j.data.InvalidInputException;

/** The images a user names: files as given, folders walked for files with an image extension, sorted. */
public final class ImageFiles {

    /** Extensions taken from folders (a file named explicitly is tried whatever its name). */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFiles() {
    }

    /**
     * The files of every argument.
     *
     * @throws InvalidInputException when an argument does not exist or a folder holds no image
     */
    public static List<Path> list(List<Path> arguments) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path arg : arguments) {
            if (Files.isDirectory(arg)) {
                List<Path> found;
                try (Stream<Path> walk = Files.walk(arg)) {
                    found = walk.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension).sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new InvalidInputException(arg + " holds no image (" + String.join(", ", EXTENSIONS.stream()
                            .sorted().toList()) + "): name an image file or a folder of images");
                }
                files.addAll(found);
            } else if (Files.exists(arg)) {
                files.add(arg);
            } else {
                throw new InvalidInputException(arg + " does not exist: name an image file or a folder of images");
            }
        }
        return files;
    }

    static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
