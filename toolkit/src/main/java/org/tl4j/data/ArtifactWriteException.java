package org.tl4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writing an artifact failed before it replaced the earlier one (a full disk, a quota, an I/O error): the message
 * names the file, the cause and the free space, and says the earlier file is unchanged.
 */
public class ArtifactWriteException extends IOException {

    /**
     * @param target the artifact that was being written
     * @param cause  the failure of the write into its temporary file
     */
    public ArtifactWriteException(Path target, IOException cause) {
        super("could not write " + target + " (" + describe(cause) + "; " + freeSpace(target.getParent())
                + "); the earlier " + target.getFileName() + ", if any, is unchanged: free some space or choose"
                + " another output folder, then run again", cause);
    }

    private static String describe(IOException cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String freeSpace(Path folder) {
        try {
            return (Files.getFileStore(folder).getUsableSpace() >> 10) + " KiB free in " + folder;
        } catch (IOException | RuntimeException e) {
            return "free space in " + folder + " unknown";
        }
    }
}
