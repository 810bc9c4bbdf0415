package org.tl4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tl4j.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl4j report RUN}: (re)writes a run's report.html and report.md. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Write RUN/report.html (self-contained) and RUN/report.md from RUN/run.json and"
                + " RUN/metrics.json: dataset, learning-rate plan and search, curves, confusion matrix, per-class"
                + " scores, the most confused test images, provenance.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    private CommonOptions common;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder ./tl4j fit wrote.")
    Path run;

    @Override
    public Integer call() throws Exception {
        RunReport.Written written = RunReport.write(run);
        spec.commandLine().getOut().println(written.html() + " and " + written.markdown() + " written");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
