package org.tl4j.bench.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.tl4j.codes.CnnCodes;
import org.tl4j.data.FileTrees;
import org.tl4j.data.Splits;
import org.tl4j.infer.EngineChoice;
import org.tl4j.select.AdviceTrials;
import org.tl4j.select.AutoStrategy;
import org.tl4j.select.SelectorThresholds;
import org.tl4j.svm.SvmFitRun;
import org.tl4j.svm.SvmOptions;
import org.tl4j.train.FitOptions;
import org.tl4j.train.RunRecord;
import org.tl4j.train.Strategy;
import org.tl4j.train.TransferTraining;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.weights.WeightSettings;

/**
 * Runs one cell of the grid in this JVM through the Java API {@code ./tl4j fit} uses: {@link TransferTraining} for
 * the strategies that train a network (feature-extractor, fine-tune, scratch), {@link SvmFitRun} for the SVMs, and
 * {@link AutoStrategy} then one of those for {@code auto} and {@code auto-trial} (as {@code fit --strategy auto
 * [--advise-by-trial]} does, RUN/advice.json and the advice in run.json included). The fit settings are fit's defaults (growing-patience early stopping,
 * validation every epoch, 70/15/15 shares: validation carved from train/) with the cell's seed and the benchmark's
 * epoch cap.
 */
final class CellRunner {

    /**
     * @param weights      where pretrained weights are cached
     * @param engine       the engine of frozen featurizing (feature-extractor)
     * @param featureCache the featurize cache folder (feature-extractor)
     * @param codesCache   the codes cache folder (SVM)
     * @param maxEpochs    epochs at most per training run
     * @param batch        images per mini-batch
     * @param progress     whether training shows its own progress
     */
    record Settings(WeightSettings weights, EngineChoice engine, Path featureCache, Path codesCache, int maxEpochs,
                    int batch, boolean progress) {
    }

    private final Settings settings;

    CellRunner(Settings settings) {
        this.settings = settings;
    }

    /**
     * Runs the cell into {@code folder}: a training run carries on from its checkpoint when the folder holds one
     * (a killed benchmark resumes); an SVM or selector run left unfinished is started again. An auto cell whose
     * choice one of the same source, target, size and seed's fixed cells has already run with the same fit options (or SVM tap) reuses that cell's result instead of training it again: with the
     * same data, seed and options the run is the same (fit is deterministic on a given machine: the grid's auto
     * cells that trained their choice matched the fixed cell's accuracy exactly), and it saves the grid one
     * training per auto cell.
     *
     * @param fixedCells the folder of this source, target, size and seed's cell of a fixed strategy (it may not have
     *                   run), or null when there is none
     */
    CellResult run(AdapterSpec source, String architecture, TransferTarget target, TargetSize size,
                   int trainPerClass, long seed, BenchStrategy strategy, Path data, Path folder,
                   Function<BenchStrategy, Path> fixedCells) throws IOException {
        long start = System.nanoTime();
        FitOptions base = FitOptions.builder(data, source.id(), Strategy.FINE_TUNE).seed(seed)
                .maxEpochs(settings.maxEpochs()).batch(settings.batch()).build();
        RunRecord run;
        String autoChoice = null;
        switch (strategy) {
            case SVM_TOP, SVM_EARLIER -> {
                FileTrees.delete(folder);
                run = svm(source, data, seed, StrategyPlans.svmTap(strategy, source), folder);
            }
            case AUTO, AUTO_TRIAL -> {
                // As fit --strategy auto [--advise-by-trial] does: advise on the training split, then carry it out.
                AdviceTrials.Settings trials = strategy == BenchStrategy.AUTO_TRIAL
                        ? trialSettings(settings.engine()) : null;
                AutoStrategy.Decision decision = AutoStrategy.decide(source, settings.weights(), data,
                        base.fractions(), seed, settings.batch(), settings.progress(), trials, settings.engine());
                decision.writeTo(folder);
                autoChoice = BenchStrategy.ofAdvice(decision.report().advice().strategy()).cliName();
                CellResult same = sameRun(decision, source, fixedCells);
                if (same != null) {
                    double adviceSeconds = (System.nanoTime() - start) / 1e9;
                    return new CellResult(source.id(), architecture, target.id(), size.label(), trainPerClass, seed,
                            strategy.cliName(), same.accuracy(), same.testImages(), adviceSeconds + same.wallSeconds(),
                            same.stopReason(), same.epochs(), same.updates(), same.bestUpdate(), same.tap(),
                            autoChoice, same.runFolder(), same.strategy());
                }
                run = decision.isSvm()
                        ? svm(source, data, seed, decision.report().advice().tap(), folder)
                        : train(decision.fitOptions(base), folder);
                run = run.withAdvice(decision.summary(folder));
                SvmFitRun.write(folder, run); // run.json with the advice, as fit --strategy auto writes it
            }
            default -> run = train(new AutoStrategy.Decision(null, StrategyPlans.fitArguments(strategy, source,
                    SelectorThresholds.DEFAULT)).fitOptions(base), folder);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        RunRecord.Stopping stop = run.stopping();
        return new CellResult(source.id(), architecture, target.id(), size.label(), trainPerClass, seed,
                strategy.cliName(), run.test().accuracy(), run.test().images(), seconds,
                stop == null ? "svm" : stop.reason(), stop == null ? null : stop.epochs(),
                stop == null ? null : stop.update(), stop == null ? null : stop.bestUpdate(), run.tap(), autoChoice,
                folder.toString(), null);
    }

    /**
     * The finished fixed cell that ran exactly what {@code decision} chose, or null: for an SVM, an SVM cell on the
     * same tap; for a training strategy, the matching cell when its fit options ({@link StrategyPlans}) are the
     * decision's.
     */
    static CellResult sameRun(AutoStrategy.Decision decision, AdapterSpec source,
                                      Function<BenchStrategy, Path> fixedCells) throws IOException {
        String tap = decision.report().advice().tap();
        if (decision.isSvm()) {
            for (BenchStrategy svm : List.of(BenchStrategy.SVM_TOP, BenchStrategy.SVM_EARLIER)) {
                CellResult done = finished(fixedCells.apply(svm));
                if (done != null && tap.equals(done.tap())) {
                    return done;
                }
            }
            return null;
        }
        BenchStrategy chosen = BenchStrategy.ofAdvice(decision.report().advice().strategy());
        CellResult done = finished(fixedCells.apply(chosen));
        return done != null && decision.fitArguments().equals(
                StrategyPlans.fitArguments(chosen, source, SelectorThresholds.DEFAULT)) ? done : null;
    }

    private static CellResult finished(Path folder) throws IOException {
        Path marker = folder == null ? null : folder.resolve(TransferBench.CELL_FILE);
        return marker != null && Files.exists(marker) ? TransferBench.JSON.readValue(marker.toFile(), CellResult.class)
                : null;
    }

    /** fit --advise-by-trial's defaults (TrialOptions), with the benchmark's engine. */
    static AdviceTrials.Settings trialSettings(EngineChoice engine) {
        AdviceTrials.Settings d = AdviceTrials.Settings.DEFAULT;
        return new AdviceTrials.Settings(d.candidates(), d.firstEpochs(), d.perClass(), engine);
    }

    private RunRecord train(FitOptions options, Path folder) throws IOException {
        TransferTraining training = new TransferTraining(options, settings.weights(), settings.featureCache())
                .engine(settings.engine()).progress(settings.progress());
        return training.fit(folder, true).run();
    }

    private RunRecord svm(AdapterSpec source, Path data, long seed, String tap, Path folder) throws IOException {
        CnnCodes extractor = CnnCodes.of(source.id(), settings.weights()).batchSize(settings.batch())
                .cacheFolder(settings.codesCache());
        SvmFitRun.Settings svm = new SvmFitRun.Settings(data.toAbsolutePath().normalize(), source, extractor,
                new RunRecord.WeightsProvenance("pretrained", null, null), tap, Splits.Fractions.DEFAULT, seed,
                SvmOptions.defaults());
        return SvmFitRun.run(svm, folder, settings.progress()).run();
    }
}
