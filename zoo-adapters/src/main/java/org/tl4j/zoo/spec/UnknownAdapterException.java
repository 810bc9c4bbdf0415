package org.tl4j.zoo.spec;

import java.util.Collection;
import java.util.List;

/** An adapter id that no descriptor has; the message lists the ids there are. */
public class UnknownAdapterException extends IllegalArgumentException {

    private final String id;
    private final List<String> knownIds;

    public UnknownAdapterException(String id, Collection<String> knownIds) {
        super("unknown adapter '" + id + "'; known adapters: " + String.join(", ", knownIds)
                + " (see: tl4j zoo list)");
        this.id = id;
        this.knownIds = List.copyOf(knownIds);
    }

    /** The id that was asked for. */
    public String id() {
        return id;
    }

    /** The ids there are, sorted. */
    public List<String> knownIds() {
        return knownIds;
    }
}
