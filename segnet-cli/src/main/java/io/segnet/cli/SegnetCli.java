package io.segnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code segnet} command: semantic segmentation on the JVM. Run {@code segnet --help} for the subcommands and
 * {@code segnet <command> --help} for each one's options.
 *
 * <p>Exit codes: 0 success; 1 a failure while running, printed as one line naming the cause (add {@code --verbose}
 * for the full message and stack trace); 2 a usage error (unknown or malformed option, invalid setting).
 */
@Command(name = "segnet", mixinStandardHelpOptions = true, versionProvider = SegnetCli.Version.class,
        description = "Semantic segmentation on the JVM (ND4J/DL4J): train, evaluate and run segmentation models.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                ImportCommand.class, ExportCommand.class, GenerateM2nistCommand.class, ValidateDataCommand.class,
                BenchmarkCommand.class, SoakCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure while running, 2 usage error.",
                "Start with: segnet quickstart"})
public final class SegnetCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Prints the usage (no subcommand given). */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests and embedding).
     */
    public static int execute(String... args) {
        quietLogging();
        return commandLine().execute(args);
    }

    /** The configured picocli command line: usage errors exit 2, failures print one line and exit 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SegnetCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandName() + ": " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
            String name = cmd.getCommandName();
            if (ex instanceof UsageException) {
                err.println(name + ": " + ex.getMessage());
                err.println("Run 'segnet " + name + " --help' for the options.");
                if (verbose) {
                    ex.printStackTrace(err);
                }
                return CommandLine.ExitCode.USAGE;
            }
            err.println(name + ": error: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    /** The cause of a failure in one line: the innermost informative message, or the exception type. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while ((t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            m = "no such file: " + m;
        } else if (t instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied: " + m;
        } else if (t instanceof OutOfMemoryError) {
            m = "out of memory (" + m + "); lower the batch size or give the JVM more memory with -Xmx";
        }
        String[] lines = m.strip().split("\\R");
        return lines.length == 1 ? lines[0] : lines[0] + " (+" + (lines.length - 1) + " more lines; --verbose shows"
                + " them)";
    }

    /** Keeps ND4J's and DL4J's start-up INFO lines off the console (warnings and errors still show). */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The version from the jar's manifest or the models module. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SegnetCli.class.getPackage().getImplementationVersion();
            if (v == null) {
                try {
                    v = io.segnet.models.Versions.segnet();
                } catch (RuntimeException e) {
                    v = "unknown";
                }
            }
            java.util.List<String> lines = new java.util.ArrayList<>();
            lines.add("segnet " + v);
            lines.add("DL4J/ND4J " + io.segnet.models.Versions.dl4j() + ", Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vm.name") + ")");
            try {
                lines.addAll(io.segnet.core.runtime.NativeBuild.describe());
            } catch (RuntimeException | LinkageError e) {
                lines.add("ND4J native build: did not load (" + e + ")");
            }
            return lines.toArray(String[]::new);
        }
    }
}
