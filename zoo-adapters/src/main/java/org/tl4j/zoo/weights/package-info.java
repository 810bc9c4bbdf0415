/**
 * Pretrained weights: where they come from, how they are checked, and the cache that keeps them.
 *
 * <ul>
 *   <li>{@link org.tl4j.zoo.weights.WeightStore}: the cache (one directory per SHA-256, atomic placement,
 *       verification on use, {@code verifyAll}, {@code importFile});</li>
 *   <li>{@link org.tl4j.zoo.weights.Downloader}: https/http/file transfers with time-outs, retries, hashing and
 *       progress;</li>
 *   <li>{@link org.tl4j.zoo.weights.Dl4jZooSource}: DL4J 1.0.0-M2.1 zoo files, checked by DL4J's Adler-32 and
 *       pinned by SHA-256 on first download, from DL4J's host or a mirror
 *       ({@value org.tl4j.zoo.weights.WeightSettings#ZOO_BASE_URL_ENV});</li>
 *   <li>{@link org.tl4j.zoo.weights.ConvertedGraphCache}: ONNX files converted once by an
 *       {@link org.tl4j.zoo.weights.OnnxToGraph} and kept as DL4J zips keyed by the ONNX SHA-256;</li>
 *   <li>{@link org.tl4j.zoo.weights.LocalModelZip}: a DL4J zip the user already has;</li>
 *   <li>{@link org.tl4j.zoo.weights.WeightResolver}: all of the above behind one call.</li>
 * </ul>
 *
 * Errors are {@link org.tl4j.zoo.weights.WeightsException}s with one-line messages naming the file or URL and
 * the fix; a CLI should print them as user errors.
 */
package org.tl4j.zoo.weights;
