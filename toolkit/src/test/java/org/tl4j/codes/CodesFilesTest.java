package org.tl4j.codes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.data.InvalidInputException;

/** Codes written as NPZ, CSV and BIN read back equal; numpy (Debian's python3-numpy) reads the NPZ exactly. */
class CodesFilesTest {

    /** Debian's interpreter, which has python3-numpy (recipes/lib/debian-packages.txt). */
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    /** Seeded codes with awkward values (negative, tiny, large, zero) and non-ASCII names. */
    static Codes sample(int rows, int dim, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
        }
        values[0] = 0f;
        values[1] = -1e-30f;
        int[] labels = new int[rows];
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 3;
            paths.add((i % 3 == 2 ? "caf\u00e9, \"quoted\"" : "cls" + (i % 3)) + "/img-" + i + "-\uD83D\uDE00.png");
        }
        CodesInfo info = new CodesInfo("resnet50-small", "ab".repeat(32), "res3d", "res3d_relu", Pooling.AVG_MAX,
                true, false, List.of("cls0", "cls1", "caf\u00e9, \"quoted\""));
        return new Codes(info, rows, dim, values, labels, paths);
    }

    @Test
    void numpyReadsTheNpzExactly() throws Exception {
        Codes codes = sample(7, 5, 1);
        Path file = dir.resolve("codes.npz");
        CodesFiles.write(codes, file, CodesFormat.NPZ);
        String script = String.join("\n",
                "import json, sys, numpy as np",
                "z = np.load(sys.argv[1])",
                "c = z['codes']",
                "assert c.dtype == np.float32 and c.dtype.byteorder in '<=', c.dtype",
                "print(json.dumps({'shape': list(c.shape), 'codes': [float(v) for v in c.ravel()],",
                "  'labels': z['labels'].tolist(), 'labelsDtype': str(z['labels'].dtype),",
                "  'classes': z['classes'].tolist(), 'paths': z['paths'].tolist(), 'meta': json.loads(str(z['meta']))}))");
        Process p = new ProcessBuilder(PYTHON, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "numpy failed (is python3-numpy installed? apt-get install python3-numpy): "
                + out);
        JsonNode json = new ObjectMapper().readTree(out);
        assertEquals(List.of(7, 5), List.of(json.get("shape").get(0).asInt(), json.get("shape").get(1).asInt()));
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                // float32 -> Python float is exact, so the values must be bit-identical.
                assertEquals(codes.get(i, j), (float) json.get("codes").get(i * 5 + j).asDouble(), 0f, i + "," + j);
            }
            assertEquals(codes.label(i), json.get("labels").get(i).asInt());
            assertEquals(codes.path(i), json.get("paths").get(i).asText());
        }
        assertEquals("int32", json.get("labelsDtype").asText());
        assertEquals(codes.info().classes().get(2), json.get("classes").get(2).asText());
        assertEquals("res3d", json.get("meta").get("tap").asText());
        assertEquals("AVG_MAX", json.get("meta").get("pooling").asText());
    }

    @Test
    void javaReadsWhatNumpyWrites() throws Exception {
        Path file = dir.resolve("from-numpy.npz");
        String script = "import sys, numpy as np\n"
                + "np.savez(sys.argv[1], codes=np.arange(6, dtype=np.float64).reshape(3, 2) / 4,"
                + " labels=np.array([1, 0, 1]), classes=np.array(['a', 'b']))";
        Process p = new ProcessBuilder(PYTHON, "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Codes codes = CodesFiles.read(file);
        assertEquals(3, codes.rows());
        assertEquals(2, codes.dim());
        assertArrayEquals(new float[] {1f, 1.25f}, codes.row(2));
        assertArrayEquals(new int[] {1, 0, 1}, codes.labels());
        assertEquals(List.of("a", "b"), codes.info().classes());
    }

    @Test
    void everyFormatReadsBackEqual() throws IOException {
        Codes codes = sample(9, 4, 2);
        for (CodesFormat format : CodesFormat.values()) {
            Path file = dir.resolve("codes" + format.extension());
            CodesFiles.write(codes, file, format);
            Codes back = CodesFiles.read(file);
            assertEquals(codes.rows(), back.rows(), format.name());
            assertEquals(codes.dim(), back.dim(), format.name());
            for (int i = 0; i < codes.rows(); i++) {
                assertArrayEquals(codes.row(i), back.row(i), format + " row " + i);
                assertEquals(codes.info().classes().get(codes.label(i)),
                        back.info().classes().get(back.label(i)), format + " label " + i);
                assertEquals(codes.path(i), back.path(i), format + " path " + i);
            }
            if (format != CodesFormat.CSV) {
                assertEquals(codes.info(), back.info(), format.name());
            }
        }
        String header = Files.readAllLines(dir.resolve("codes.csv")).get(0);
        assertEquals("path,label,c0,c1,c2,c3", header);
        assertTrue(Files.isRegularFile(CodesFiles.pathsFileOf(dir.resolve("codes.bin"))));
    }

    @Test
    void damagedFilesAreRefusedByName() throws IOException {
        Codes codes = sample(4, 3, 3);
        Path bin = dir.resolve("c.bin");
        CodesFiles.write(codes, bin, CodesFormat.BIN);
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length - 20] ^= 1;
        Files.write(bin, bytes);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CodesFiles.read(bin));
        assertTrue(e.getMessage().contains(bin.toString()), e.getMessage());

        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "path,label,c0\nx.png,a,notanumber\n");
        e = assertThrows(InvalidInputException.class, () -> CodesFiles.read(csv));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("notanumber"), e.getMessage());

        assertThrows(InvalidInputException.class, () -> CodesFiles.read(dir.resolve("missing.npz")));
    }
}
