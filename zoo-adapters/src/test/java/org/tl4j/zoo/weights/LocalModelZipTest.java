package org.tl4j.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelZipTest {

    @TempDir
    Path temp;

    @Test
    void acceptsADl4jModelZipAndHashesIt() throws IOException {
        Path zip = temp.resolve("model.zip");
        ModelSerializer.writeModel(TinyGraphs.build(5), zip.toFile(), false);

        CachedWeights weights = LocalModelZip.open(zip);

        assertEquals(zip, weights.file());
        assertEquals(Sha256.of(zip), weights.sha256());
        assertEquals(Files.size(zip), weights.sizeBytes());
    }

    @Test
    void refusesAFileThatIsNotAZip() throws IOException {
        Path onnx = Files.write(temp.resolve("model.onnx"), new byte[] {8, 7, 18, 4});

        WeightsException e = assertThrows(WeightsException.class, () -> LocalModelZip.open(onnx));

        assertTrue(e.getMessage().contains(onnx.toString()) && e.getMessage().contains("not a zip"), e.getMessage());
    }

    @Test
    void refusesAZipThatIsNotADl4jModel() throws IOException {
        Path zip = temp.resolve("photos.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipOut = new ZipOutputStream(out)) {
            zipOut.putNextEntry(new ZipEntry("cat.jpg"));
            zipOut.write(1);
            zipOut.closeEntry();
        }

        WeightsException e = assertThrows(WeightsException.class, () -> LocalModelZip.open(zip));

        assertTrue(e.getMessage().contains("configuration.json"), e.getMessage());
    }

    @Test
    void refusesAMissingFile() {
        Path absent = temp.resolve("absent.zip");

        WeightsException e = assertThrows(WeightsException.class, () -> LocalModelZip.open(absent));

        assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
    }
}
