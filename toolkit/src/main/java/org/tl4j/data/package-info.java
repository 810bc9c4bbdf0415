/**
 * The image-folder data layer: from a folder of labelled images to DL4J mini-batches.
 *
 * <pre>
 * DIR/class/... | DIR/train|val|test/class/... | labels.csv (path,label)
 *   --ImageFolder.scan--&gt;  Manifest      one Entry per file: path, label, bytes, SHA-256, width, height,
 *                                        channels, ok / rejected + reason; saved as JSON or CSV
 *   --Splits.loadOrCreate--&gt; Splits      stratified and seeded (or from the folder layout), saved as
 *                                        RUN/splits.json and reused while the data is unchanged
 *   --ImageFolderIterator--&gt; DataSet     per batch: ImageDecoder (file -&gt; upright 8-bit grey/RGB) -&gt;
 *                                        ImagePreprocessor (InputSpec: channels, crop/pad/stretch, range,
 *                                        mean/std) -&gt; NCHW float + one-hot labels, prefetched in the background
 * </pre>
 *
 * <p>Decoding is Java only (ImageIO with the TwelveMonkeys plugins): JPEG (including CMYK/YCCK and EXIF
 * orientation), PNG (grey, RGB, RGBA, palette, 16-bit), BMP and GIF (first frame). A file that cannot be used
 * becomes a rejected entry with a reason, never a crash: header dimensions are checked against a pixel limit before
 * decoding (decompression bombs), truncation warnings count as failures, file size is bounded.
 *
 * <p>User mistakes (missing folder, no class folders, a class too small to split, changed data under saved splits)
 * are {@link org.tl4j.data.InvalidInputException}s whose messages name the file or class and the fix.
 */
package org.tl4j.data;
