package org.tl4j.datasets.fashion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DebianPackages;
import org.tl4j.datasets.Downloader;
import org.tl4j.datasets.Progress;

/**
 * Finds the four Fashion-MNIST files: a folder the user named, else Debian's {@code dataset-fashion-mnist}
 * (installed first when permitted), else, only with {@code --download}, the upstream URLs into a cache folder.
 *
 * @param files      where each file is
 * @param provenance how they were obtained, for the dataset manifest
 */
public record FashionMnistSource(Map<FashionMnistFile, Path> files, Map<String, Object> provenance) {

    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /**
     * @param sourceFolder     a folder holding the four files ({@code null}: use the Debian package)
     * @param installPermitted the user allowed apt-get
     * @param download         the user allowed downloading from the upstream URLs
     * @param cacheFolder      where downloads are kept
     */
    public static FashionMnistSource locate(Path sourceFolder, boolean installPermitted, boolean download,
                                            Path cacheFolder, Progress progress) {
        if (sourceFolder != null) {
            Map<FashionMnistFile, Path> files = find(sourceFolder);
            List<FashionMnistFile> missing = missing(files);
            if (!missing.isEmpty()) {
                throw new DatasetException("--source-dir " + sourceFolder + " lacks " + names(missing)
                        + " (gzip-compressed or not); point it at a folder with all four Fashion-MNIST files");
            }
            return new FashionMnistSource(files, Map.of("kind", "folder", "folder", sourceFolder.toAbsolutePath().toString()));
        }
        if (!missing(find(DEBIAN_FOLDER)).isEmpty()) {
            String why = "Fashion-MNIST is not in " + DEBIAN_FOLDER;
            if (installPermitted || !download) {
                DebianPackages.install(List.of(DEBIAN_PACKAGE), installPermitted, why,
                        ", or rerun with --download to fetch it from " + FashionMnistFile.UPSTREAM_BASE, progress);
            } else {
                return downloaded(cacheFolder, progress);
            }
            List<FashionMnistFile> stillMissing = missing(find(DEBIAN_FOLDER));
            if (!stillMissing.isEmpty()) {
                throw new DatasetException(DEBIAN_PACKAGE + " was installed but " + DEBIAN_FOLDER + " lacks "
                        + names(stillMissing) + "; reinstall it with: apt-get install --reinstall " + DEBIAN_PACKAGE);
            }
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("kind", "debian-package");
        provenance.put("package", DEBIAN_PACKAGE);
        provenance.put("version", DebianPackages.installedVersion(DEBIAN_PACKAGE).orElse("unknown"));
        provenance.put("folder", DEBIAN_FOLDER.toString());
        return new FashionMnistSource(find(DEBIAN_FOLDER), provenance);
    }

    private static FashionMnistSource downloaded(Path cacheFolder, Progress progress) {
        Downloader downloader = new Downloader();
        Map<FashionMnistFile, Path> files = new EnumMap<>(FashionMnistFile.class);
        for (FashionMnistFile file : FashionMnistFile.values()) {
            files.put(file, downloader.fetch(file.upstreamUri(), cacheFolder.resolve(file.fileName()),
                    path -> verifyDownload(file, path), progress));
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("kind", "download");
        provenance.put("url", FashionMnistFile.UPSTREAM_BASE.toString());
        provenance.put("folder", cacheFolder.toAbsolutePath().toString());
        return new FashionMnistSource(files, provenance);
    }

    /** Checks a downloaded file against upstream's published MD5 and the recorded SHA-256 of its content. */
    static void verifyDownload(FashionMnistFile file, Path path) {
        String md5 = md5(path);
        if (!md5.equals(file.upstreamGzMd5())) {
            throw new DatasetException("downloaded " + file.fileName() + " (" + path + ") has MD5 " + md5 + ", but upstream"
                    + " publishes " + file.upstreamGzMd5() + ": the transfer was corrupted or the file changed upstream;"
                    + " delete it and retry, or install " + DEBIAN_PACKAGE);
        }
        verifyContent(file, IdxReader.read(path), path);
    }

    /** Checks that an IDX file read from anywhere holds the published Fashion-MNIST data. */
    static void verifyContent(FashionMnistFile file, IdxArray array, Path path) {
        if (!array.contentSha256().equals(file.contentSha256())) {
            throw new DatasetException(path + " is not the published Fashion-MNIST " + file.fileName() + ": the SHA-256"
                    + " of its uncompressed content is " + array.contentSha256() + ", expected " + file.contentSha256()
                    + "; reinstall " + DEBIAN_PACKAGE + " or re-download it");
        }
    }

    private static Map<FashionMnistFile, Path> find(Path folder) {
        Map<FashionMnistFile, Path> found = new EnumMap<>(FashionMnistFile.class);
        for (FashionMnistFile file : FashionMnistFile.values()) {
            Path gz = folder.resolve(file.fileName());
            Path plain = folder.resolve(file.fileName().replaceFirst("\\.gz$", ""));
            if (Files.isRegularFile(gz)) {
                found.put(file, gz);
            } else if (Files.isRegularFile(plain)) {
                found.put(file, plain);
            }
        }
        return found;
    }

    private static List<FashionMnistFile> missing(Map<FashionMnistFile, Path> found) {
        List<FashionMnistFile> missing = new ArrayList<>();
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (!found.containsKey(file)) {
                missing.add(file);
            }
        }
        return missing;
    }

    private static String names(List<FashionMnistFile> files) {
        return files.stream().map(FashionMnistFile::fileName).toList().toString();
    }

    private static String md5(Path path) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("MD5"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
