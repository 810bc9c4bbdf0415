package org.tl4j.zoo.safety;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Serialisable test classes whose deserialisation is observable, standing in for a gadget chain's first link. */
final class SerialisedPayloads {

    /** How many times {@link Hostile#readObject} ran in this JVM. */
    static final AtomicInteger HOSTILE_READS = new AtomicInteger();

    private SerialisedPayloads() {
    }

    /** A class outside every allow-list: if its readObject ever runs, the loader deserialised hostile data. */
    static final class Hostile implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            HOSTILE_READS.incrementAndGet();
            in.defaultReadObject();
        }
    }

    /** A plain value class a test puts on the allow-list. */
    static final class Allowed implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int value = 7;

        int value() {
            return value;
        }
    }

    static byte[] serialise(Object object) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
