package org.tl4j.datasets.glyphs;

import java.util.SplittableRandom;

/**
 * How one rendered glyph is varied: scale, rotation (about 12 degrees), shift (about 2 px), stroke thickening or
 * thinning, slight blur and noise. Drawn from a seed, so the same seed gives the same image.
 *
 * @param scale       size factor around the glyph's centre
 * @param degrees     rotation, clockwise in image coordinates
 * @param dx          horizontal shift in pixels
 * @param dy          vertical shift in pixels
 * @param stroke      &gt; 0 thickens strokes by that many pixels, &lt; 0 thins them
 * @param blurSigma   Gaussian blur sigma in pixels (0: none)
 * @param noiseSigma  Gaussian pixel noise sigma in gray levels (0: none)
 * @param noiseSeed   seed of the noise pattern
 */
public record Augmentation(double scale, double degrees, double dx, double dy, double stroke,
                           double blurSigma, double noiseSigma, long noiseSeed) {

    /** The glyph as designed, centred, nothing varied. */
    public static final Augmentation NONE = new Augmentation(1, 0, 0, 0, 0, 0, 0, 0);

    static final double MAX_SCALE_CHANGE = 0.12;
    static final double MAX_DEGREES = 12;
    static final double MAX_SHIFT = 2;
    static final double MAX_THICKEN = 1.2;
    static final double MAX_THIN = 0.6;
    static final double MAX_BLUR_SIGMA = 0.7;
    static final double MAX_NOISE_SIGMA = 8;

    /** Draws one augmentation from {@code seed}. */
    public static Augmentation draw(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double scale = 1 + uniform(random, MAX_SCALE_CHANGE);
        double degrees = uniform(random, MAX_DEGREES);
        double dx = uniform(random, MAX_SHIFT);
        double dy = uniform(random, MAX_SHIFT);
        double stroke = random.nextDouble(-MAX_THIN, MAX_THICKEN);
        // Half the images stay sharp and clean: blur and noise are variations, not the norm.
        double blur = random.nextBoolean() ? random.nextDouble(0.3, MAX_BLUR_SIGMA) : 0;
        double noise = random.nextBoolean() ? random.nextDouble(1, MAX_NOISE_SIGMA) : 0;
        return new Augmentation(scale, degrees, dx, dy, stroke, blur, noise, random.nextLong());
    }

    private static double uniform(SplittableRandom random, double halfWidth) {
        return random.nextDouble(-halfWidth, halfWidth);
    }
}
