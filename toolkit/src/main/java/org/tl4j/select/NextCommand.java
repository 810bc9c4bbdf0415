package org.tl4j.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tl4j command line that carries out an {@link Advice}: {@code fit} with the strategy, tap and learning-rate
 * plan the advice names, or {@code extract} then {@code svm} for an SVM on an earlier tap. Printed by
 * {@code ./tl4j advise} so the advice can be followed (or pasted into a script) as it stands.
 */
public final class NextCommand {

    private NextCommand() {
    }

    /**
     * @param advice the advice
     * @param data   the image folder as the user named it
     * @param model  the adapter id
     * @return one or more commands, to run in order
     */
    public static List<String> of(Advice advice, String data, String model) {
        String base = "./tl4j fit --data " + quote(data) + " --model " + model;
        List<String> commands = new ArrayList<>();
        Advice.PlanParameters plan = advice.plan();
        switch (advice.strategy()) {
            case LINEAR_ON_CODES -> commands.add(base + " --strategy feature-extractor --tap " + advice.tap()
                    + " --out runs/advised");
            case SVM_ON_EARLIER_TAP -> {
                commands.add("./tl4j extract --model " + model + " --tap " + advice.tap() + " --data " + quote(data)
                        + " --out codes-" + advice.tap() + ".npy");
                commands.add("./tl4j svm --codes codes-" + advice.tap() + ".npy --out svm-" + advice.tap() + ".zip");
            }
            case FINE_TUNE_TOP -> commands.add(base + " --strategy fine-tune --tap " + advice.tap()
                    + (plan.overrides().isEmpty() ? "" : " --lr-mult " + plan.overrides()) + rate(plan)
                    + " --out runs/advised");
            case FINE_TUNE_ALL -> commands.add(base + " --strategy fine-tune --tap " + advice.tap()
                    + String.format(Locale.ROOT, " --discriminative %s", trim(plan.discriminative())) + rate(plan)
                    + " --out runs/advised");
            case SCRATCH -> commands.add(base + " --strategy scratch" + rate(plan) + " --out runs/advised");
            default -> throw new IllegalStateException("no command for " + advice.strategy());
        }
        return commands;
    }

    private static String rate(Advice.PlanParameters plan) {
        // SelectorThresholds' base rate is an Adam rate; fit's default update rule is Nesterov momentum.
        return " --optimizer adam --lr " + trim(plan.baseRate());
    }

    private static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    private static String quote(String path) {
        return path.matches("[A-Za-z0-9_./:@+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
