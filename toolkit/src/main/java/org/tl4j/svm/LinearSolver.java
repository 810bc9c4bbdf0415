package org.tl4j.svm;

import de.bwaldvogel.liblinear.SolverType;
import java.util.Locale;
import org.tl4j.data.InvalidInputException;

/** The LIBLINEAR solvers offered; both are L2-regularised and one-vs-rest for more than two classes. */
public enum LinearSolver {
    /** Linear SVM, squared hinge (L2) loss, solved in the dual: LIBLINEAR's {@code -s 1}. */
    SVM(SolverType.L2R_L2LOSS_SVC_DUAL),
    /** Logistic regression, solved in the primal: LIBLINEAR's {@code -s 0}. */
    LOGISTIC(SolverType.L2R_LR);

    private final SolverType type;

    LinearSolver(SolverType type) {
        this.type = type;
    }

    /** LIBLINEAR's solver. */
    public SolverType type() {
        return type;
    }

    /** {@code svm} or {@code logistic}. */
    public static LinearSolver parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "svm", "l2svm", "svc" -> SVM;
            case "logistic", "lr", "logreg" -> LOGISTIC;
            default -> throw new InvalidInputException("solver must be svm or logistic, got '" + text + "'");
        };
    }
}
