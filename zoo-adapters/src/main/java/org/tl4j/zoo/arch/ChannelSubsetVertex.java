package org.tl4j.zoo.arch;

import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link SubsetVertex} (channels {@code from..to}, inclusive) with the output type of feature maps fixed:
 * DL4J 1.0.0-M2.1 reports {@code from - to + 1} channels for them, so a layer after it gets a negative input
 * size. The computation is DL4J's own.
 */
public class ChannelSubsetVertex extends SubsetVertex {

    public ChannelSubsetVertex(@JsonProperty("from") int from, @JsonProperty("to") int to) {
        super(from, to);
    }

    @Override
    public SubsetVertex clone() {
        return new ChannelSubsetVertex(getFrom(), getTo());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        if (inputs.length == 1 && inputs[0] instanceof InputTypeConvolutional maps) {
            if (getTo() >= maps.getChannels()) {
                throw new IllegalArgumentException("channel subset " + getFrom() + ".." + getTo()
                        + " does not fit an input of " + maps.getChannels() + " channels");
            }
            return InputType.convolutional(maps.getHeight(), maps.getWidth(), getTo() - getFrom() + 1L,
                    maps.getFormat());
        }
        return super.getOutputType(layerIndex, inputs);
    }
}
