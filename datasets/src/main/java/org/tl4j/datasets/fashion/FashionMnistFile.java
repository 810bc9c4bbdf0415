package org.tl4j.datasets.fashion;

import java.net.URI;

/**
 * The four published Fashion-MNIST files and the checksums they are verified against.
 *
 * <p>{@code contentSha256} is the SHA-256 of the uncompressed IDX bytes, recorded from the files Debian's
 * {@code dataset-fashion-mnist} 0.0~git20200523.55506a9-1 ships (the upstream data). It is taken over the
 * uncompressed bytes because Debian's {@code .gz} files are recompressed (gzip header time 2020-06-05), so
 * their bytes differ from upstream's while the data is the same; {@code upstreamGzMd5} is the MD5 the
 * Fashion-MNIST README publishes for the {@code .gz} files at the upstream URL, checked on download.
 */
public enum FashionMnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    TRAIN_LABELS("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    TEST_IMAGES("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    TEST_LABELS("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** The official download location (linked from github.com/zalandoresearch/fashion-mnist). */
    public static final URI UPSTREAM_BASE = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    private final String fileName;
    private final String upstreamGzMd5;
    private final String contentSha256;

    FashionMnistFile(String fileName, String upstreamGzMd5, String contentSha256) {
        this.fileName = fileName;
        this.upstreamGzMd5 = upstreamGzMd5;
        this.contentSha256 = contentSha256;
    }

    public String fileName() {
        return fileName;
    }

    public String upstreamGzMd5() {
        return upstreamGzMd5;
    }

    public String contentSha256() {
        return contentSha256;
    }

    public URI upstreamUri() {
        return UPSTREAM_BASE.resolve(fileName);
    }
}
