package org.tl4j.datasets.glyphs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.Seeds;

/**
 * Holds out whole font families for validation, so no family (all its weights and styles) is seen in both
 * splits: validation then measures generalisation to unseen type designs, not to unseen sizes of a known one.
 */
public final class FamilySplit {

    private FamilySplit() {
    }

    /**
     * The families to hold out: {@code fraction} of the distinct families (rounded, at least one when there are two
     * or more), chosen by a seeded shuffle of the sorted names.
     */
    public static Set<String> heldOutFamilies(List<GlyphFont> fonts, double fraction, long seed) {
        if (fraction < 0 || fraction >= 1) {
            throw new DatasetException("--val-families " + fraction + ": must be at least 0 and below 1, e.g. 0.1");
        }
        List<String> families = new ArrayList<>(new TreeSet<>(fonts.stream().map(GlyphFont::family).toList()));
        int count = (int) Math.round(families.size() * fraction);
        if (count == 0 && fraction > 0 && families.size() > 1) {
            count = 1;
        }
        Collections.shuffle(families, new Random(Seeds.mix(seed, 3)));
        return new TreeSet<>(families.subList(0, count));
    }
}
