package org.tl4j.datasets.fashion;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.datasets.DatasetException;
import org.tl4j.datasets.DebianPackages;
import org.tl4j.datasets.Progress;

class FashionMnistSourceTest {

    @TempDir
    Path dir;

    @Test
    void sourceFolderMissingFilesNamesThem() throws IOException {
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        DatasetException e = assertThrows(DatasetException.class,
                () -> FashionMnistSource.locate(dir, false, false, dir, Progress.SILENT));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && !e.getMessage().contains("train-labels"),
                e.getMessage());
    }

    @Test
    void idxFileWithOtherContentIsNotAcceptedAsFashionMnist() throws IOException {
        Path labels = Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnistSource.verifyContent(
                FashionMnistFile.TEST_LABELS, IdxReader.read(labels), labels));
        assertTrue(e.getMessage().contains(FashionMnistFile.TEST_LABELS.contentSha256()), e.getMessage());
    }

    @Test
    void downloadWithTheWrongUpstreamChecksumIsRejected() throws IOException {
        Path gz = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        DatasetException e = assertThrows(DatasetException.class,
                () -> FashionMnistSource.verifyDownload(FashionMnistFile.TEST_LABELS, gz));
        assertTrue(e.getMessage().contains(FashionMnistFile.TEST_LABELS.upstreamGzMd5()), e.getMessage());
    }

    @Test
    void installWithoutPermissionNamesTheAptCommand() {
        DatasetException e = assertThrows(DatasetException.class, () -> DebianPackages.install(
                List.of(FashionMnistSource.DEBIAN_PACKAGE), false, "Fashion-MNIST is missing", "", Progress.SILENT));
        assertTrue(e.getMessage().contains("apt-get install -y dataset-fashion-mnist")
                && e.getMessage().contains("--install-packages"), e.getMessage());
    }
}
