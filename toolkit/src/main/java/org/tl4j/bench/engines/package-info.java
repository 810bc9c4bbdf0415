/**
 * {@code tl4j bench engines}: the same networks timed side by side, interleaved, in tl4j (DL4J), PyTorch and
 * ONNX Runtime, with the machine's GEMM peak measured in the same run. {@link org.tl4j.bench.engines.EngineBench}
 * runs it, {@link org.tl4j.bench.engines.EngineReport} summarises it.
 */
package org.tl4j.bench.engines;
