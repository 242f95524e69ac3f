package io.segnet.cli;

import picocli.CommandLine.Option;

/** Options every command has. */
final class CommonOptions {

    @Option(names = "--verbose", description = "On failure, print the full message and stack trace.")
    boolean verbose;
}
