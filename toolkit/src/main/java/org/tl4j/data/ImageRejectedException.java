package org.tl4j.data;

/** A file that cannot be used as an image; the message is the reason recorded in the manifest. */
public class ImageRejectedException extends Exception {

    public ImageRejectedException(String reason) {
        super(reason);
    }

    public ImageRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
