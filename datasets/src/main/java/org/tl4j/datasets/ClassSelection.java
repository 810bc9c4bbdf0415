package org.tl4j.datasets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Which classes of a dataset to keep, parsed from {@code --classes}: indices, ranges and class names,
 * comma separated, e.g. {@code 5-9}, {@code 0,2,4}, {@code 0-3,bag}. Indices count from 0 in the
 * dataset's published class order.
 */
public final class ClassSelection {

    private final List<Integer> indices;

    private ClassSelection(List<Integer> indices) {
        this.indices = List.copyOf(indices);
    }

    /** Every class. */
    public static ClassSelection all(int classCount) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < classCount; i++) {
            all.add(i);
        }
        return new ClassSelection(all);
    }

    /**
     * Parses a selection against the dataset's class names; {@code null} or blank selects every class.
     *
     * @throws DatasetException naming the bad item and the valid range or names
     */
    public static ClassSelection parse(String spec, List<String> classNames) {
        if (spec == null || spec.isBlank()) {
            return all(classNames.size());
        }
        TreeSet<Integer> chosen = new TreeSet<>();
        for (String rawItem : spec.split(",")) {
            String item = rawItem.trim();
            if (item.isEmpty()) {
                throw invalid(spec, "an empty item", classNames);
            }
            int byName = classNames.indexOf(item);
            if (byName >= 0) {
                chosen.add(byName);
            } else if (item.matches("\\d+-\\d+")) {
                int dash = item.indexOf('-');
                int from = index(item.substring(0, dash), spec, classNames);
                int to = index(item.substring(dash + 1), spec, classNames);
                if (from > to) {
                    throw invalid(spec, "the range " + item + " runs backwards", classNames);
                }
                for (int i = from; i <= to; i++) {
                    chosen.add(i);
                }
            } else {
                chosen.add(index(item, spec, classNames));
            }
        }
        return new ClassSelection(new ArrayList<>(chosen));
    }

    private static int index(String text, String spec, List<String> classNames) {
        int index;
        try {
            index = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(spec, "'" + text + "' is neither a class index nor a class name", classNames);
        }
        if (index < 0 || index >= classNames.size()) {
            throw invalid(spec, "class index " + index + " is out of range", classNames);
        }
        return index;
    }

    private static DatasetException invalid(String spec, String problem, List<String> classNames) {
        return new DatasetException("--classes " + spec + ": " + problem + "; use indices 0-" + (classNames.size() - 1)
                + ", ranges like 5-9, lists like 0,2,4, or class names (" + String.join(", ", classNames) + ")");
    }

    /** The chosen class indices, ascending. */
    public List<Integer> indices() {
        return Collections.unmodifiableList(indices);
    }

    public boolean contains(int classIndex) {
        return indices.contains(classIndex);
    }

    public boolean isAll(int classCount) {
        return indices.size() == classCount;
    }

    @Override
    public String toString() {
        return indices.toString();
    }
}
