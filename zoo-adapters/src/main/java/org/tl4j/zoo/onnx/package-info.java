/**
 * ONNX to DL4J: {@link org.tl4j.zoo.onnx.OnnxImporter} turns an ONNX CNN into a trainable
 * {@link org.deeplearning4j.nn.graph.ComputationGraph}; DL4J to ONNX: {@link org.tl4j.zoo.onnx.OnnxExporter} writes
 * such a graph (whole or cut at a tap) as an opset-13 model with the adapter's preprocessing as metadata.
 *
 * <table>
 *   <caption>Operator mapping (opsets 6 to 17)</caption>
 *   <tr><th>ONNX</th><th>DL4J</th><th>Notes</th></tr>
 *   <tr><td>Conv</td><td>ConvolutionLayer</td><td>2-D; asymmetric or SAME pads through a ZeroPaddingLayer;
 *       group &gt; 1 as one layer per group on channel subsets, merged</td></tr>
 *   <tr><td>MaxPool, AveragePool</td><td>SubsamplingLayer</td><td>ceil_mode and asymmetric pads when DL4J's
 *       Truncate or Same layout gives the same windows; count_include_pad</td></tr>
 *   <tr><td>GlobalAveragePool, GlobalMaxPool</td><td>GlobalPoolingLayer</td><td>output kept [N,C,1,1]</td></tr>
 *   <tr><td>BatchNormalization</td><td>BatchNormalization</td><td>inference form; momentum becomes decay</td></tr>
 *   <tr><td>LRN</td><td>LocalResponseNormalization</td><td>alpha divided by size; odd sizes only</td></tr>
 *   <tr><td>Gemm, MatMul</td><td>DenseLayer</td><td>constant right operand; alpha/beta folded in; transA=0;
 *       MatMul followed by Add of a constant row becomes one layer with that bias</td></tr>
 *   <tr><td>Add, Sum</td><td>ElementWiseVertex(Add)</td><td>equal shapes, no broadcasting</td></tr>
 *   <tr><td>Concat</td><td>MergeVertex</td><td>axis 1</td></tr>
 *   <tr><td>Flatten, Reshape</td><td>PreprocessorVertex(CnnToFeedForwardPreProcessor)</td><td>to [batch, features]
 *       only; both flatten NCHW in C order</td></tr>
 *   <tr><td>Relu, Sigmoid, Tanh, Softmax</td><td>ActivationLayer</td><td>softmax over [N, F]</td></tr>
 *   <tr><td>Dropout</td><td>DropoutLayer</td><td>retain probability 1 - ratio; inference graphs only</td></tr>
 *   <tr><td>Slice</td><td>ChannelSubsetVertex / SubsetVertex</td><td>a channel range (axis 1, step 1), as
 *       {@link org.tl4j.zoo.onnx.OnnxExporter} writes grouped convolutions</td></tr>
 *   <tr><td>Pad</td><td>ZeroPaddingLayer</td><td>zeros around height and width</td></tr>
 *   <tr><td>Identity, Constant</td><td>(none)</td><td>alias; import-time value</td></tr>
 *   <tr><td>Shape, Gather, Unsqueeze, Concat of constants</td><td>(none)</td><td>import-time shape arithmetic,
 *       as in PyTorch's {@code x.view(x.size(0), -1)}; the batch size stays symbolic</td></tr>
 * </table>
 *
 * <p>The batch dimension is always DL4J's minibatch: a model exported with batch 1 runs on any batch. Anything
 * outside the table is an {@link org.tl4j.zoo.onnx.UnsupportedOnnxException} naming the node; nothing is
 * approximated. Conformance is checked against ONNX's own node tests (Debian's libonnx-testdata) and against
 * PyTorch on torchvision models.
 */
package org.tl4j.zoo.onnx;
