package org.tl4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tl4j.data.AtomicFiles;

/** A benchmark's results.json (figures and raw samples) and results.md (its printed table), written atomically. */
public final class ResultFiles {

    private ResultFiles() {
    }

    /** Writes {@code folder/results.json} from {@code doc} and {@code folder/results.md} from {@code markdown}. */
    public static void write(Path folder, Map<String, Object> doc, String markdown) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(folder.resolve("results.json"), out -> json.writeValue(out, doc));
        byte[] md = markdown.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve("results.md"), out -> out.write(md));
    }
}
