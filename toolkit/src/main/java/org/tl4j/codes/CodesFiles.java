package org.tl4j.codes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.data.AtomicFiles;
import org.tl4j.data.InvalidInputException;
import org.tl4j.train.FeatureFile;
import org.tl4j.train.FeatureFileCorruptException;

/** Writes and reads {@link Codes} in the {@link CodesFormat}s; every write is atomic (temp file + rename). */
public final class CodesFiles {

    /** First line of a BIN file's key text. */
    static final String BIN_KEY_HEADER = "tl4j-codes 1\n";
    /** Suffix of a BIN file's paths file. */
    public static final String PATHS_SUFFIX = ".paths.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CodesFiles() {
    }

    /** Writes codes in the given format. */
    public static void write(Codes codes, Path file, CodesFormat format) throws IOException {
        switch (format) {
            case NPZ -> writeNpz(codes, file);
            case CSV -> writeCsv(codes, file);
            case BIN -> writeBin(codes, file);
        }
    }

    /** Reads codes, the format told by the file's extension. */
    public static Codes read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("codes file " + file + " does not exist: write it with ./tl4j extract");
        }
        return switch (CodesFormat.of(file)) {
            case NPZ -> readNpz(file);
            case CSV -> readCsv(file);
            case BIN -> readBin(file);
        };
    }

    static String metaJson(CodesInfo info) {
        try {
            return JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CodesInfo is plain data", e);
        }
    }

    static CodesInfo parseMeta(String json, Path file) {
        try {
            return JSON.readValue(json, CodesInfo.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": its codes description is not readable JSON (" + e
                    .getOriginalMessage() + "): write the file again with ./tl4j extract", e);
        }
    }

    private static void writeNpz(Codes codes, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            // Stored, not deflated: float codes hardly compress, and np.load then reads members without inflating.
            putStored(zip, "codes.npy", NpyArray.ofFloats(codes.values(), codes.rows(), codes.dim()));
            putStored(zip, "labels.npy", NpyArray.ofInts(codes.labels(), codes.rows()));
            putStored(zip, "classes.npy", NpyArray.ofStrings(codes.info().classes(), false));
            putStored(zip, "paths.npy", NpyArray.ofStrings(codes.paths(), false));
            putStored(zip, "meta.npy", NpyArray.ofStrings(List.of(metaJson(codes.info())), true));
            zip.finish();
        });
    }

    private static void putStored(ZipOutputStream zip, String name, NpyArray array) throws IOException {
        byte[] bytes = array.toBytes();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static Codes readNpz(Path file) throws IOException {
        Map<String, NpyArray> arrays = new HashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                arrays.put(e.getName(), NpyArray.read(zip, file + "!" + e.getName()));
            }
        }
        NpyArray values = arrays.get("codes.npy");
        if (values == null || values.shape().length != 2) {
            throw new InvalidInputException(file + " has no 2-d array 'codes': it must be an .npz with codes [N, D]"
                    + " and labels [N] (np.savez(f, codes=X.astype('float32'), labels=y, classes=names))");
        }
        int n = (int) values.shape()[0];
        int d = (int) values.shape()[1];
        NpyArray labels = arrays.get("labels.npy");
        if (labels == null || labels.ints().length != n) {
            throw new InvalidInputException(file + " needs an int array 'labels' of " + n + " class indices");
        }
        NpyArray paths = arrays.get("paths.npy");
        List<String> pathList = paths != null ? paths.strings() : numbered(n);
        NpyArray meta = arrays.get("meta.npy");
        CodesInfo info;
        if (meta != null) {
            info = parseMeta(meta.strings().get(0), file);
        } else {
            NpyArray classes = arrays.get("classes.npy");
            List<String> names = classes != null ? classes.strings() : classNumbers(labels.ints());
            info = CodesInfo.unknownOrigin(names);
        }
        return checked(file, () -> new Codes(info, n, d, values.floats(), labels.ints(), pathList));
    }

    private static void writeCsv(Codes codes, Path file) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("path").addColumn("label");
        for (int j = 0; j < codes.dim(); j++) {
            schema.addColumn("c" + j, CsvSchema.ColumnType.NUMBER);
        }
        CsvMapper mapper = new CsvMapper();
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (SequenceWriter rows = mapper.writer(schema.setUseHeader(true).build()).writeValues(w)) {
                Object[] row = new Object[codes.dim() + 2];
                for (int i = 0; i < codes.rows(); i++) {
                    row[0] = codes.path(i);
                    row[1] = codes.info().classes().get(codes.label(i));
                    for (int j = 0; j < codes.dim(); j++) {
                        // Float.toString is the shortest text that reads back to the same float.
                        row[j + 2] = Float.toString(codes.get(i, j));
                    }
                    rows.write(row);
                }
            }
        });
    }

    private static Codes readCsv(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        String[] header;
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(file.toFile())) {
            if (!it.hasNext()) {
                throw new InvalidInputException(file + " is empty: expected a header path,label,c0,...");
            }
            header = it.next();
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        if (header.length < 3 || !"path".equals(header[0]) || !"label".equals(header[1])) {
            throw new InvalidInputException(file + " must start with the header path,label,c0,c1,... (got "
                    + String.join(",", header) + ")");
        }
        int d = header.length - 2;
        TreeSet<String> names = new TreeSet<>();
        rows.forEach(r -> names.add(r.length > 1 ? r[1] : ""));
        List<String> classes = List.copyOf(names);
        float[] values = new float[rows.size() * d];
        int[] labels = new int[rows.size()];
        List<String> paths = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (r.length != header.length) {
                throw new InvalidInputException(file + " line " + (i + 2) + " has " + r.length + " columns, the header "
                        + header.length);
            }
            paths.add(r[0]);
            labels[i] = classes.indexOf(r[1]);
            for (int j = 0; j < d; j++) {
                try {
                    values[i * d + j] = Float.parseFloat(r[j + 2]);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file + " line " + (i + 2) + " column " + header[j + 2] + ": '"
                            + r[j + 2] + "' is not a number", e);
                }
            }
        }
        CodesInfo info = CodesInfo.unknownOrigin(classes);
        return checked(file, () -> new Codes(info, rows.size(), d, values, labels, paths));
    }

    private static void writeBin(Codes codes, Path file) throws IOException {
        Path pathsFile = pathsFileOf(file);
        AtomicFiles.write(pathsFile, out -> out.write((String.join("\n", codes.paths()) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        String key = BIN_KEY_HEADER + metaJson(codes.info()) + "\n";
        try (FeatureFile.Writer writer = FeatureFile.create(file, key, codes.info().classes().size())) {
            int chunk = 1024;
            for (int from = 0; from < codes.rows(); from += chunk) {
                int to = Math.min(codes.rows(), from + chunk);
                float[] part = java.util.Arrays.copyOfRange(codes.values(), from * codes.dim(), to * codes.dim());
                INDArray rows = Nd4j.create(part, new long[] {to - from, codes.dim()}, 'c');
                writer.append(rows, java.util.Arrays.copyOfRange(codes.labels(), from, to));
                rows.close();
            }
            writer.commit();
        }
    }

    /** The paths file beside a BIN codes file. */
    public static Path pathsFileOf(Path binFile) {
        return binFile.resolveSibling(binFile.getFileName() + PATHS_SUFFIX);
    }

    private static Codes readBin(Path file) throws IOException {
        String key = binKey(file);
        if (!key.startsWith(BIN_KEY_HEADER)) {
            throw new InvalidInputException(file + " is a feature-cache file, not codes written by ./tl4j extract");
        }
        CodesInfo info = parseMeta(key.substring(BIN_KEY_HEADER.length()).trim(), file);
        try (FeatureFile f = FeatureFile.open(file, key)) {
            int n = f.rows();
            int d = f.featureLength();
            float[] values = new float[Math.multiplyExact(n, d)];
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                f.readRow(r, values, r * d);
                labels[r] = f.label(r);
            }
            List<String> paths;
            try {
                paths = Files.readAllLines(pathsFileOf(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                paths = numbered(n);
            }
            List<String> p = paths;
            return checked(file, () -> new Codes(info, n, d, values, labels, p));
        } catch (FeatureFileCorruptException e) {
            throw new InvalidInputException(e.getMessage() + ": write it again with ./tl4j extract", e);
        }
    }

    /** The key text in a FeatureFile's header (layout in FeatureFile's Javadoc); FeatureFile.open checks the rest. */
    private static String binKey(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size(), 1 << 20)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // reads the first megabyte or the whole file
            }
            head.flip();
            try {
                byte[] magic = new byte[8];
                head.get(magic);
                if (!new String(magic, StandardCharsets.US_ASCII).equals("TL4JFEAT")) {
                    throw new InvalidInputException(file + " is not a tl4j codes file (no TL4JFEAT magic)");
                }
                head.position(8 + 4 + 4 + 8 + 4 + 4);
                int rank = head.getInt();
                head.position(head.position() + 4 * rank);
                byte[] key = new byte[head.getInt()];
                head.get(key);
                return new String(key, StandardCharsets.UTF_8);
            } catch (java.nio.BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
                throw new InvalidInputException(file + " is truncated or damaged: write it again with ./tl4j extract",
                        e);
            }
        }
    }

    private interface CodesMaker {
        Codes make();
    }

    private static Codes checked(Path file, CodesMaker maker) {
        try {
            return maker.make();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> numbered(int n) {
        List<String> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.add("#" + i);
        }
        return p;
    }

    private static List<String> classNumbers(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
