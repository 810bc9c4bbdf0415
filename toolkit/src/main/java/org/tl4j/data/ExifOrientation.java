package org.tl4j.data;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * EXIF orientation (TIFF tag 274) of a JPEG, and the transform that makes the decoded pixels upright.
 * ImageIO decoders return pixels as stored; cameras store them sideways and set this tag instead.
 */
final class ExifOrientation {

    /** Pixels are stored upright. */
    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** The orientation 1..8 of a JPEG held in memory; {@link #NORMAL} when absent or unreadable (EXIF is optional). */
    static int read(byte[] jpeg) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            for (JPEGSegment segment : segments) {
                try (InputStream data = segment.data()) {
                    // The identifier is "Exif\0\0"; data() starts after "Exif\0", so one pad byte remains.
                    if (data.read() != 0) {
                        continue;
                    }
                    try (ImageInputStream tiff = new MemoryCacheImageInputStream(data)) {
                        Directory directory = new TIFFReader().read(tiff);
                        Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                        if (entry != null && entry.getValue() instanceof Number n) {
                            int value = n.intValue();
                            return value >= 1 && value <= 8 ? value : NORMAL;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A damaged EXIF block does not make the image unusable: treat as upright, as browsers do.
            return NORMAL;
        }
        return NORMAL;
    }

    /** The image turned upright for the given EXIF orientation (1 = unchanged). */
    static DecodedImage apply(DecodedImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = image.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }            // mirrored horizontally
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }    // rotated 180
                    case 4 -> { sx = x; sy = h - 1 - y; }            // mirrored vertically
                    case 5 -> { sx = y; sy = x; }                    // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }            // needs 90 degrees clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }    // transversed
                    default -> { sx = w - 1 - y; sy = x; }           // 8: needs 90 degrees counter-clockwise
                }
                System.arraycopy(src, (sy * w + sx) * c, out, (y * ow + x) * c, c);
            }
        }
        return new DecodedImage(ow, oh, c, out);
    }
}
