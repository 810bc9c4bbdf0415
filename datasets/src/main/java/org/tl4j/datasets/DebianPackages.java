package org.tl4j.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Installs the Debian packages real datasets come from, only when the user allowed it ({@code --install-packages}
 * or {@code TL4J_INSTALL_PACKAGES=1}) and tl4j runs as root; otherwise the error names the apt command to run.
 */
public final class DebianPackages {

    /** The environment variable that permits installs without the command-line option. */
    public static final String INSTALL_ENV = "TL4J_INSTALL_PACKAGES";

    private DebianPackages() {
    }

    /** Whether installing is permitted: the option was given or {@code TL4J_INSTALL_PACKAGES=1}. */
    public static boolean installPermitted(boolean optionGiven) {
        return optionGiven || "1".equals(System.getenv(INSTALL_ENV));
    }

    /** The command a user would type, for error messages. */
    public static String aptCommand(List<String> packages) {
        return "apt-get install -y " + String.join(" ", packages);
    }

    /**
     * Installs {@code packages} with apt-get.
     *
     * @param why         what is missing, e.g. "Fashion-MNIST is not in /usr/share/datasets/fashion-mnist"
     * @param alternative another way out for the error message when not permitted (may be empty), e.g.
     *                    ", or rerun with --download"
     * @throws DatasetException when not permitted, not root, or apt-get fails; the message names the command
     */
    public static void install(List<String> packages, boolean permitted, String why, String alternative,
                               Progress progress) {
        String command = aptCommand(packages);
        if (!permitted) {
            throw new DatasetException(why + ": install it with `" + command + "` (as root), or rerun with"
                    + " --install-packages (or " + INSTALL_ENV + "=1) as root to let tl4j do it" + alternative);
        }
        if (!isRoot()) {
            throw new DatasetException(why + ": installing packages needs root; run `sudo " + command + "` and rerun");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new DatasetException(why + ": there is no /usr/bin/apt-get on this machine (not Debian/Ubuntu);"
                    + " install the package's files by other means");
        }
        progress.report("running: " + command);
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
        install.addAll(packages);
        if (run(install, progress) == 0) {
            return;
        }
        // A fresh container often has no package lists yet: update once, then try again.
        progress.report("apt-get install failed; running apt-get update and trying again");
        if (run(List.of("apt-get", "update"), progress) != 0 || run(install, progress) != 0) {
            throw new DatasetException(why + ": `" + command + "` failed (see its output above); fix apt and rerun");
        }
    }

    /** Those of {@code packages} that dpkg does not list as installed (all of them where there is no dpkg). */
    public static List<String> notInstalled(List<String> packages) {
        List<String> command = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\\n"));
        command.addAll(packages);
        java.util.Set<String> installed = new java.util.HashSet<>();
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(); // exit status 1 only means some package is unknown to dpkg
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 2 && parts[1].startsWith("ii")) {
                    installed.add(parts[0].replaceFirst(":.*", ""));
                }
            }
        } catch (IOException e) {
            return List.copyOf(packages); // no dpkg: nothing is installed from Debian
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while asking dpkg which packages are installed", e);
        }
        return packages.stream().filter(p -> !installed.contains(p)).toList();
    }

    /** The installed version of a package, if it is installed. */
    public static Optional<String> installedVersion(String packageName) {
        try {
            Process process = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", packageName)
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no dpkg: not a Debian system, so no package version to record
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static int run(List<String> command, Progress progress) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    progress.report("apt: " + line);
                }
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new DatasetException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
