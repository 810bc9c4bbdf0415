package org.tl4j.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tl4j command line that carries out an {@link Advice}: {@code fit} with the strategy, tap and learning-rate
 * plan the advice names ({@code --strategy svm --tap T} for an SVM on an earlier tap). Printed by
 * {@code ./tl4j advise} so the advice can be followed (or pasted into a script) as it stands.
 */
public final class NextCommand {

    private NextCommand() {
    }

    /**
     * @param advice the advice
     * @param data   the image folder as the user named it
     * @param model  the adapter id
     * @return the {@code ./tl4j fit} command, to run as it stands
     */
    public static List<String> of(Advice advice, String data, String model) {
        return List.of("./tl4j fit --data " + quote(data) + " --model " + model + " "
                + String.join(" ", fitArguments(advice)) + " --out runs/advised");
    }

    /**
     * The {@code fit} options that carry out an advice ({@code --strategy} and what it needs: tap, multipliers,
     * rate); {@code fit --strategy auto} applies these same options, so the printed command and auto agree.
     */
    public static List<String> fitArguments(Advice advice) {
        List<String> args = new ArrayList<>();
        Advice.PlanParameters plan = advice.plan();
        switch (advice.strategy()) {
            case LINEAR_ON_CODES -> args.addAll(List.of("--strategy", "feature-extractor", "--tap", advice.tap()));
            case SVM_ON_EARLIER_TAP -> args.addAll(List.of("--strategy", "svm", "--tap", advice.tap()));
            case FINE_TUNE_TOP -> {
                args.addAll(List.of("--strategy", "fine-tune", "--tap", advice.tap()));
                if (!plan.overrides().isEmpty()) {
                    args.addAll(List.of("--lr-mult", plan.overrides()));
                }
                args.addAll(rate(plan));
            }
            case FINE_TUNE_ALL -> {
                args.addAll(List.of("--strategy", "fine-tune", "--tap", advice.tap(), "--discriminative",
                        trim(plan.discriminative())));
                args.addAll(rate(plan));
            }
            case SCRATCH -> {
                args.addAll(List.of("--strategy", "scratch"));
                args.addAll(rate(plan));
            }
            default -> throw new IllegalStateException("no command for " + advice.strategy());
        }
        return args;
    }

    private static List<String> rate(Advice.PlanParameters plan) {
        // SelectorThresholds' base rate is an Adam rate; fit's default update rule is Nesterov momentum.
        return List.of("--optimizer", "adam", "--lr", trim(plan.baseRate()));
    }

    private static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    private static String quote(String path) {
        return path.matches("[A-Za-z0-9_./:@+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
