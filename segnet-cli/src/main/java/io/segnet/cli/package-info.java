/**
 * The {@code segnet} command line ({@link io.segnet.cli.SegnetCli}, picocli): {@code train}, {@code evaluate},
 * {@code predict}, {@code generate-m2nist}, {@code validate-data}, {@code benchmark}, {@code quickstart} and
 * {@code soak}. Settings come from a YAML or JSON file ({@link io.segnet.cli.RunSpec}: {@code data}, {@code model},
 * {@code trainer} sections) with flags overriding file values. Exit codes: 0 success, 1 a failure while running (one
 * line saying why), 2 a usage error (bad flag or setting).
 */
package io.segnet.cli;
