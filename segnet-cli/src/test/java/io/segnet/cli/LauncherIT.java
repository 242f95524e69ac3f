package io.segnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built command (failsafe runs this after {@code package}): {@code target/segnet}, reached directly or through a
 * symlink, runs the jar beside it; a Java older than 17 is refused with the fix; {@code target/segnet_completion}
 * completes every subcommand.
 */
class LauncherIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path dir;

    record Result(int code, String out) {
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
        return new Result(p.exitValue(), out);
    }

    @Test
    void theLauncherRunsTheJarBesideItAlsoThroughASymlink() throws Exception {
        Path launcher = TARGET.resolve("segnet");
        assertTrue(Files.isExecutable(launcher), launcher + " is executable");
        Result direct = run(Map.of(), launcher.toString(), "--version");
        assertEquals(0, direct.code(), direct.out());
        assertTrue(direct.out().contains("segnet ") && direct.out().contains("ND4J native build:"), direct.out());

        Path link = Files.createSymbolicLink(dir.resolve("segnet"), launcher);
        Result linked = run(Map.of(), link.toString(), "--version");
        assertEquals(0, linked.code(), linked.out());
        assertTrue(linked.out().contains("convolution engine:"), linked.out());
    }

    @Test
    void aJavaOlderThan17IsRefusedWithTheFix() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("old-jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.20\" 2023-07-18' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(Map.of("JAVA_HOME", dir.resolve("old-jdk").toString()), TARGET.resolve("segnet").toString(),
                "--version");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("Java 11.0.20") && r.out().contains("Java 17 or newer")
                && r.out().contains("JAVA_HOME"), r.out());
    }

    @Test
    void theCompletionScriptNamesEverySubcommand() throws Exception {
        String script = Files.readString(TARGET.resolve("segnet_completion"));
        List<String> missing = new ArrayList<>();
        for (String sub : SegnetCli.commandLine().getSubcommands().keySet()) {
            if (!script.contains(sub)) {
                missing.add(sub);
            }
        }
        assertTrue(missing.isEmpty(), "subcommands missing from the completion: " + missing);
        assertTrue(script.contains("complete -F"), "a bash completion function is registered");
        Result syntax = run(Map.of(), "bash", "-n", TARGET.resolve("segnet_completion").toString());
        assertEquals(0, syntax.code(), syntax.out());
    }
}
