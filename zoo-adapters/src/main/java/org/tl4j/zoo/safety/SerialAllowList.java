package org.tl4j.zoo.safety;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The {@link ObjectInputFilter} for Java-serialised model entries: a class is accepted only when it is on the
 * list (or is an array of such classes or of primitives), and the stream's depth, references, array lengths and
 * bytes are bounded. The filter runs when a class descriptor is read, before any instance of it exists, so a
 * rejected class's {@code readObject} never runs (its static initialiser neither: the class is resolved without
 * initialising it).
 *
 * <p>tl4j itself writes no Java-serialised entries into model zips (DL4J's {@code writeModel} writes JSON and
 * ND4J binary arrays; normalizers use DL4J's own format), so the default list is empty: only strings and
 * primitive arrays pass.
 */
public final class SerialAllowList implements ObjectInputFilter {

    /** The classes tl4j writes into model zips with Java serialisation: none. */
    public static final SerialAllowList TL4J_DEFAULT = new SerialAllowList(Set.of());

    private static final long MAX_DEPTH = 20;
    private static final long MAX_REFERENCES = 100_000;
    private static final long MAX_ARRAY_LENGTH = 50_000_000;

    private final Set<String> allowedClassNames;
    private volatile String lastRejected;

    /** @param allowedClassNames fully qualified names of the classes that may be deserialised */
    public SerialAllowList(Set<String> allowedClassNames) {
        this.allowedClassNames = Set.copyOf(allowedClassNames);
    }

    /** A fresh filter with the same list, so concurrent loads do not share {@link #lastRejected()}. */
    SerialAllowList copy() {
        return new SerialAllowList(allowedClassNames);
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
                || info.arrayLength() > MAX_ARRAY_LENGTH) {
            lastRejected = "a stream beyond the limits (depth " + info.depth() + ", references "
                    + info.references() + ", array length " + info.arrayLength() + ")";
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return Status.ALLOWED;
        }
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive() || allowedClassNames.contains(element.getName())) {
            return Status.ALLOWED;
        }
        lastRejected = "class " + type.getName();
        return Status.REJECTED;
    }

    /** What the last rejection was about, for the error message; null when nothing was rejected. */
    String lastRejected() {
        return lastRejected;
    }
}
