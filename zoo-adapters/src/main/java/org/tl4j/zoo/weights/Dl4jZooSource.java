package org.tl4j.zoo.weights;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.zoo.spec.WeightSource;

/**
 * A pretrained file from Deeplearning4j's model zoo, as DL4J 1.0.0-M2.1 publishes it: a path relative to DL4J's
 * download host and an Adler-32 checksum (DL4J's {@code ZooModel.initPretrained} checks Adler-32, not a
 * cryptographic hash, and no SHA-256 of these files is published).
 *
 * <p><b>How tl4j checks these files (trust on first use, anchored by DL4J's checksum).</b> A {@link WeightSource}
 * must carry a SHA-256, which tl4j cannot know for a file nobody here has downloaded. So the first download (or
 * {@link #importFile import}) is accepted when its Adler-32 equals DL4J's published value; its SHA-256 is then
 * computed and <em>pinned</em> in {@code CACHE/pins/dl4j-zoo/PATH.pin}. From then on the file is identified by
 * that SHA-256 exactly like any other source (verification on use, {@code verifyAll}, provenance), and a later
 * download, e.g. from a mirror, must match both the pin and the Adler-32. Adler-32 alone detects truncation and
 * transfer damage but not a deliberately altered file; pinning limits that exposure to the first download. Once
 * someone has the real SHA-256, write it into the model's descriptor as an ordinary {@link WeightSource}; the
 * pinned value is printed by {@link #pinned} for that purpose.
 *
 * <p>The host is configurable ({@link WeightSettings#zooBaseUrl()}, env {@value WeightSettings#ZOO_BASE_URL_ENV})
 * because DL4J's own host has been unreachable for users before; a mirror must serve the same relative paths.
 *
 * @param relativePath path under the base URL, as in DL4J's {@code pretrainedUrl} (e.g.
 *                     {@code models/resnet50_dl4j_inference.v3.zip})
 * @param adler32      DL4J's {@code pretrainedChecksum} for it
 * @param licence      the licence the weights are distributed under
 * @param origin       who published them and where the values come from
 */
public record Dl4jZooSource(String relativePath, long adler32, String licence, String origin) {

    /** DL4J 1.0.0-M2.1's download host ({@code DL4JResources.DL4J_DEFAULT_URL}). */
    public static final String DEFAULT_BASE_URL = "https://dl4jdata.blob.core.windows.net/";

    /**
     * ImageNet ResNet-50 from DL4J's zoo: {@code org.deeplearning4j.zoo.model.ResNet50.pretrainedUrl(IMAGENET)}
     * is {@code DL4JResources.getURLString("models/resnet50_dl4j_inference.v3.zip")} and
     * {@code pretrainedChecksum(IMAGENET)} is {@code 3914447815L} (read from the deeplearning4j-zoo 1.0.0-M2.1 jar
     * with javap; {@code Dl4jZooSourceTest} checks both against the jar's classes). Size and SHA-256 are unknown
     * until the first download pins them.
     */
    public static final Dl4jZooSource RESNET50_IMAGENET = new Dl4jZooSource(
            "models/resnet50_dl4j_inference.v3.zip", 3914447815L,
            "Apache-2.0 (as distributed in the Eclipse Deeplearning4j model zoo; DL4J states no separate licence for"
                    + " the trained weights)",
            "Eclipse Deeplearning4j model zoo 1.0.0-M2.1, org.deeplearning4j.zoo.model.ResNet50, PretrainedType"
                    + ".IMAGENET (ILSVRC-2012, 1000 classes)");

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jZooSource.class);

    /** The zoo file an adapter descriptor names with a {@code dl4j-zoo:PATH} source. */
    public static Dl4jZooSource of(WeightSource source) {
        return new Dl4jZooSource(source.dl4jZooPath(), source.adler32(), source.licence(), source.origin());
    }

    /** Checks the path stays under the base URL and the checksum is an unsigned 32-bit value. */
    public Dl4jZooSource {
        Objects.requireNonNull(relativePath, "relativePath");
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.contains("..")
                || relativePath.endsWith("/") || relativePath.contains("\\")) {
            throw new IllegalArgumentException("DL4J zoo path must be relative, like models/x.zip, got '"
                    + relativePath + "'");
        }
        if (adler32 < 0 || adler32 > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Adler-32 must be an unsigned 32-bit value, got " + adler32);
        }
        licence = licence == null ? "unknown" : licence;
        origin = origin == null ? "unknown" : origin;
    }

    /** Where to download it from, given a base URL such as {@link WeightSettings#zooBaseUrl()}. */
    public URI uri(URI baseUrl) {
        return WeightSettings.normalizeBaseUrl(baseUrl.toString(), "base URL").resolve(relativePath);
    }

    /** The name it is cached under (the last path segment). */
    public String fileName() {
        return relativePath.substring(relativePath.lastIndexOf('/') + 1);
    }

    /** Where the SHA-256 pinned for this file is (or would be) kept in {@code store}. */
    public Path pinFile(WeightStore store) {
        return Pins.pinFile(store, "dl4j-zoo/" + relativePath);
    }

    /**
     * The full source, once a download or import has pinned its SHA-256 and size; empty before that.
     *
     * @param baseUrl the base URL the returned source's URI should use
     */
    public Optional<WeightSource> pinned(WeightStore store, URI baseUrl) throws IOException {
        return currentPin(store).map(pin -> new WeightSource(uri(baseUrl), WeightSource.Format.DL4J_ZIP,
                pin.sha256(), pin.sizeBytes(), licence, origin));
    }

    /**
     * The verified cached file, downloading from {@code baseUrl} (and pinning its SHA-256 on first download) when
     * it is not cached.
     *
     * @param importId the model id to show in {@code ./tl4j zoo import FILE --as ID} when the download fails
     * @throws WeightUnavailableException when it is not cached and cannot be downloaded
     * @throws WeightMismatchException    when the bytes fail the Adler-32 or the pin (nothing is kept)
     */
    public CachedWeights fetch(WeightStore store, URI baseUrl, String importId) throws IOException {
        Optional<Pins.Pin> pin = currentPin(store);
        if (pin.isPresent()) {
            Optional<CachedWeights> hit = store.cached(pin.get().sha256(), fileName(), pin.get().sizeBytes());
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        URI uri = uri(baseUrl);
        Path destination = store.root().resolve(pin.map(Pins.Pin::sha256).orElse("<sha256>")).resolve(fileName());
        CachedWeights placed = store.download(uri, fileName(), expected(pin), destination, importId,
                mismatchFix(store, pin));
        pinIfNew(store, pin, placed, uri.toString());
        return placed;
    }

    /**
     * Copies a local copy into the cache after checking its Adler-32 (and its pin, if one exists), pinning its
     * SHA-256 when none was pinned yet.
     */
    public CachedWeights importFile(WeightStore store, Path file, URI baseUrl) throws IOException {
        Optional<Pins.Pin> pin = currentPin(store);
        CachedWeights placed = store.importFile(file, fileName(), expected(pin), uri(baseUrl));
        pinIfNew(store, pin, placed, file.toAbsolutePath().toUri().toString());
        return placed;
    }

    private Optional<Pins.Pin> currentPin(WeightStore store) throws IOException {
        Optional<Pins.Pin> pin = Pins.read(pinFile(store));
        if (pin.isPresent() && pin.get().adler32() != adler32) {
            // DL4J published a different file under this path: the old pin describes something else.
            LOG.warn("Ignoring {}: it pins a file with Adler-32 {}, but the source now expects {}",
                    pin.get().file(), pin.get().adler32(), adler32);
            return Optional.empty();
        }
        return pin;
    }

    private Expected expected(Optional<Pins.Pin> pin) {
        return pin.map(p -> new Expected(p.sha256(), adler32, p.sizeBytes()))
                .orElseGet(() -> new Expected(null, adler32, -1));
    }

    private String mismatchFix(WeightStore store, Optional<Pins.Pin> pin) {
        return pin.isPresent()
                ? "Nothing was cached. It differs from the SHA-256 pinned at first download in " + pinFile(store)
                        + "; if the publisher replaced the file on purpose, delete that pin and retry"
                : "Nothing was cached. The transfer was damaged or the mirror (" + WeightSettings.ZOO_BASE_URL_ENV
                        + ") serves another file; retry, or use another mirror";
    }

    private void pinIfNew(WeightStore store, Optional<Pins.Pin> pin, CachedWeights placed, String acceptedFrom)
            throws IOException {
        if (pin.isEmpty()) {
            Pins.write(pinFile(store), new Digests(placed.sha256(), adler32, placed.sizeBytes()), acceptedFrom);
            LOG.info("Pinned {} as SHA-256 {} ({} bytes) in {}", fileName(), placed.sha256(), placed.sizeBytes(),
                    pinFile(store));
        }
    }
}
