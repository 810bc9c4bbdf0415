package org.tl4j.zoo.graph;

import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link SubsetVertex} (channels {@code from..to} inclusive of an NCHW activation) with a corrected output
 * type. In DL4J 1.0.0-M2.1 {@code SubsetVertex.getOutputType} reports {@code from - to + 1} channels for
 * convolutional input (the operands are swapped), which is 0 or negative for any subset wider than one channel,
 * and DL4J then overwrites the next layer's nIn with it. The forward and backward passes are DL4J's own.
 * Serialises like any vertex (its class name is stored in the graph JSON).
 */
public class ChannelSubsetVertex extends SubsetVertex {

    public ChannelSubsetVertex(@JsonProperty("from") int from, @JsonProperty("to") int to) {
        super(from, to);
    }

    @Override
    public ChannelSubsetVertex clone() {
        return new ChannelSubsetVertex(getFrom(), getTo());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length == 1 && vertexInputs[0] instanceof InputType.InputTypeConvolutional conv) {
            if (getTo() >= conv.getChannels()) {
                throw new InvalidInputTypeException("channels " + getFrom() + ".." + getTo() + " of an input with "
                        + conv.getChannels() + " channels");
            }
            return InputType.convolutional(conv.getHeight(), conv.getWidth(), getTo() - getFrom() + 1,
                    conv.getFormat());
        }
        return super.getOutputType(layerIndex, vertexInputs);
    }
}
