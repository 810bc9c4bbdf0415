package org.tl4j.datasets.glyphs;

import java.util.ArrayList;
import java.util.List;

/**
 * The 62 glyph classes, in order: digits 0-9, capitals A-Z, small letters a-z. Folder names carry the case in
 * words ({@code digit-0}, {@code upper-A}, {@code lower-a}) so that no two classes collide on a case-insensitive
 * file system.
 */
public final class GlyphClasses {

    /** The characters, class index = position. */
    public static final String CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public static final int COUNT = CHARACTERS.length();
    /** Class folder names, in class order. */
    public static final List<String> NAMES = names();

    private GlyphClasses() {
    }

    public static char character(int classIndex) {
        return CHARACTERS.charAt(classIndex);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (char c : CHARACTERS.toCharArray()) {
            names.add((Character.isDigit(c) ? "digit-" : Character.isUpperCase(c) ? "upper-" : "lower-") + c);
        }
        return List.copyOf(names);
    }
}
