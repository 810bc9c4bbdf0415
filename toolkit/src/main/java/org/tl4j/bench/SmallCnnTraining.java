package org.tl4j.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.zoo.model.LeNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step (forward, backward, Adam update) of DL4J's zoo LeNet on 28x28x1 images, ten classes,
 * random inputs and labels: the size of a small from-scratch or head-only training run.
 */
final class SmallCnnTraining implements Workload {

    private static final int CLASSES = 10;

    private final int batch;
    private MultiLayerNetwork net;
    private DataSet data;

    SmallCnnTraining(int batch) {
        this.batch = batch;
    }

    @Override
    public String name() {
        return "lenet-train";
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int warmupSteps() {
        return 5;
    }

    @Override
    public void prepare(long seed) {
        net = (MultiLayerNetwork) LeNet.builder().numClasses(CLASSES).seed(seed).inputShape(new int[] {1, 28, 28})
                .build().init();
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % CLASSES, 1f);
        }
        data = new DataSet(features, labels);
    }

    @Override
    public void step() {
        net.fit(data);
    }
}
