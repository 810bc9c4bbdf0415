package org.tl4j.zoo.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A DL4J model zip the user already has (e.g. {@code --weights my-resnet.zip}), used where it is rather than
 * copied into the cache. It is checked to look like a {@code ModelSerializer} zip before DL4J tries to read it,
 * so a wrong file gets a clear message instead of a deep stack trace, and hashed for the run's provenance.
 */
public final class LocalModelZip {

    /** Entries every DL4J {@code ModelSerializer} zip has (network JSON and parameters). */
    static final String CONFIGURATION_ENTRY = "configuration.json";
    static final String COEFFICIENTS_ENTRY = "coefficients.bin";

    private LocalModelZip() {
    }

    /**
     * Checks {@code file} and returns it with its SHA-256.
     *
     * @throws WeightsException when it does not exist, is not a zip, or is not a DL4J model zip
     */
    public static CachedWeights open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightsException("No such model file: " + file + " (give the path of a DL4J model zip)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (String entry : new String[] {CONFIGURATION_ENTRY, COEFFICIENTS_ENTRY}) {
                if (zip.getEntry(entry) == null) {
                    throw new WeightsException(file + " is a zip but not a DL4J model (no " + entry + "); save models"
                            + " with ModelSerializer.writeModel, or convert ONNX files with tl4j's importer");
                }
            }
        } catch (ZipException e) {
            throw new WeightsException(file + " is not a zip file (" + e.getMessage() + "); give a DL4J model zip"
                    + " written by ModelSerializer, or an ONNX file as an ONNX source", e);
        }
        Digests digests = Digests.of(file);
        return new CachedWeights(file.toAbsolutePath().normalize(), digests.sha256(), digests.sizeBytes());
    }
}
