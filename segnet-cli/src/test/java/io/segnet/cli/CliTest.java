package io.segnet.cli;

import io.segnet.models.LossConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    @TempDir
    static Path dir;

    /** Exit code, standard output and standard error of one command line. */
    /** Writes an 8-bit gray PNG of {@code h x w} whose pixel (y, x) is {@code value(y, x)}, creating its folder. */
    static void grayPng(Path file, int h, int w, java.util.function.IntBinaryOperator value) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value.applyAsInt(y, x));
            }
        }
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        SegnetCli.quietLogging();
        CommandLine cl = SegnetCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    private static long countPngs(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).count();
        }
    }

    /** The data section of a settings file for the folders that {@code generate-m2nist} wrote into {@code m2}. */
    static String folderData(Path m2) {
        return """
                data:
                  type: folder
                  images: %s
                  masks: %s
                  validationImages: %s
                  validationMasks: %s
                  numClasses: 11
                """.formatted(m2.resolve("train/image"), m2.resolve("train/mask"), m2.resolve("validation/image"),
                m2.resolve("validation/mask"));
    }

    @BeforeAll
    static void generate() {
        Run r = run("generate-m2nist", "--output", dir.resolve("m2").toString(), "--train", "24", "--validation", "8",
                "--seed", "3");
        assertEquals(0, r.code(), r.err());
    }

    /** {@code --version} names segnet's, DL4J's and oneDNN's versions and the native build this JVM loaded. */
    @Test
    void versionNamesTheNativeBuildAndTheEngineInUse() {
        Run r = run("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("segnet "), r.out());
        assertTrue(r.out().contains("DL4J/ND4J 1.0.0-M2.1"), r.out());
        assertTrue(r.out().contains("ND4J native build: linux-x86_64"), r.out());
        assertTrue(r.out().contains("convolution engine: oneDNN 2."), r.out());
    }

    @Test
    void helpExitsZeroForEveryCommand() {
        Run top = run("--help");
        assertEquals(0, top.code());
        for (String c : List.of("quickstart", "train", "evaluate", "predict", "generate-m2nist", "validate-data",
                "benchmark", "soak", "export", "completion")) {
            assertTrue(top.out().contains(c), c);
            Run r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: segnet " + c), r.out());
        }
        assertEquals(0, run("--version").code());
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        Run r = run("train", "--epochs", "many");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'many'") && r.err().contains("--help"), r.err());
        r = run("predict", "--model", "x.zip");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required options"), r.err());
        r = run("benchmark", "Z9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown benchmark case 'Z9'"), r.err());
        r = run("trian");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean"), r.err());
        r = run("train", "--epochs", "2", "--iterations", "5", "--output", dir.resolve("never").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either --epochs or --iterations"), r.err());
        r = run("train", "--batch-size", "0", "--output", dir.resolve("never").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("batchSize is 0"), r.err());
        r = run("train", "--resume", "--lr", "0.1", "--output", dir.resolve("never").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("drop --lr"), r.err());
        r = run("predict", "--model", "m.zip", "--input", "i", "--output", "o", "--tile", "big");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("HEIGHTxWIDTH"), r.err());
    }

    @Test
    void generateM2nistWritesPngsAndNeverOverwrites() throws IOException {
        Path m2 = dir.resolve("m2");
        assertEquals(24, count(m2.resolve("train/image")));
        assertEquals(24, count(m2.resolve("train/mask")));
        assertEquals(8, count(m2.resolve("validation/image")));
        assertTrue(Files.readString(m2.resolve("classes.txt")).startsWith("0\n1\n"));
        Run again = run("generate-m2nist", "--output", m2.toString(), "--train", "2");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds files"), again.err());
    }

    @Test
    void validateDataPassesGoodDataAndListsProblems() throws IOException {
        Path m2 = dir.resolve("m2");
        Run ok = run("validate-data", "--images", m2.resolve("train/image").toString(), "--masks",
                m2.resolve("train/mask").toString(), "--num-classes", "11");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("24 samples checked, 0 problems"), ok.out());

        Path bad = dir.resolve("bad");
        Files.createDirectories(bad.resolve("image"));
        Files.createDirectories(bad.resolve("mask"));
        Files.copy(m2.resolve("train/image/00000.png"), bad.resolve("image/a.png"));
        Files.copy(m2.resolve("train/mask/00000.png"), bad.resolve("mask/a.png"));
        Files.copy(m2.resolve("train/image/00001.png"), bad.resolve("image/b.png"));
        Files.writeString(bad.resolve("image/c.png"), "not a png");
        Files.copy(m2.resolve("train/mask/00002.png"), bad.resolve("mask/c.png"));
        Run r = run("validate-data", "--images", bad.resolve("image").toString(), "--masks",
                bad.resolve("mask").toString(), "--num-classes", "11");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("MISSING_MASK") && r.out().contains("b.png"), r.out());
        assertTrue(r.out().contains("UNREADABLE") && r.out().contains("c.png"), r.out());
        assertTrue(r.err().contains("2 problems"), r.err());
        Run none = run("validate-data", "--images", dir.resolve("missing").toString(), "--masks",
                dir.resolve("missing2").toString(), "--num-classes", "2");
        assertEquals(1, none.code());
        assertTrue(none.out().contains("MISSING_FOLDER"), none.out());
    }

    @Test
    void trainEvaluatePredictAndResumeOnATinyRun() throws IOException {
        Path m2 = dir.resolve("m2");
        Path modelJson = dir.resolve("tiny.json");
        Files.writeString(modelJson, new UNetConfig(1, 11, 64, 84, new SmallEncoderConfig(4, 2, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy()).toJson());
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, folderData(m2) + """
                  classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "background"]
                trainer:
                  epochs: 1
                  batchSize: 4
                  learningRate: 0.01
                  progressBar: false
                """);
        Path out = dir.resolve("runs/tiny");
        Run t = run("train", "--config", config.toString(), "--model-config", modelJson.toString(), "--epochs", "2",
                "--output", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("finished after 2 epochs (12 iterations)"), t.out());
        for (String f : List.of("best.zip", "last.zip", "metrics.jsonl", "curve.png", "config.yaml")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("epochs: 2"), "flags override the file");

        Run again = run("train", "--config", config.toString(), "--output", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("not empty"), again.err());
        Run resumed = run("train", "--resume", "--output", out.toString(), "--no-progress");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("after 2 epochs (12 iterations)"), resumed.out());

        Path report = dir.resolve("report.json");
        Run e = run("evaluate", "--model", out.resolve("best.zip").toString(), "--report", report.toString(),
                "--flip");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("on 8 validation images") && e.out().contains("mIoU"), e.out());
        assertTrue(Files.readString(report).contains("\"meanIoU\""));

        Path preds = dir.resolve("preds");
        Run p = run("predict", "--model", out.resolve("best.zip").toString(), "--input",
                m2.resolve("validation/image").toString(), "--output", preds.toString(), "--tile", "32x32");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("predicted 8 images"), p.out());
        assertEquals(8, countPngs(preds.resolve("masks")));
        assertEquals(8, countPngs(preds.resolve("overlay")));
        assertTrue(Files.isRegularFile(preds.resolve("masks/.segnet-predict")), "predict marks its folders");
        Run twice = run("predict", "--model", out.resolve("best.zip").toString(), "--input",
                m2.resolve("validation/image/00000.png").toString(), "--output", preds.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("exist already"), twice.err());
        Run into = run("predict", "--model", out.resolve("best.zip").toString(), "--input",
                m2.resolve("validation/image").toString(), "--output", m2.resolve("validation/image").toString());
        assertEquals(2, into.code());
        assertTrue(into.err().contains("is the input folder"), into.err());
        assertFalse(Files.exists(m2.resolve("validation/image/masks")));
        Run missing = run("evaluate", "--model", dir.resolve("nope.zip").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file") || missing.err().contains("nope.zip"), missing.err());

        Run crf = run("evaluate", "--model", out.resolve("best.zip").toString(), "--crf", "--crf-iterations", "3");
        assertEquals(0, crf.code(), crf.err());
        assertTrue(crf.out().contains("mIoU"), crf.out());
        Path crfPreds = dir.resolve("preds-crf");
        Run pc = run("predict", "--model", out.resolve("best.zip").toString(), "--input",
                m2.resolve("validation/image").toString(), "--output", crfPreds.toString(), "--crf");
        assertEquals(0, pc.code(), pc.err());
        assertEquals(8, countPngs(crfPreds.resolve("masks")));
        Run badCrf = run("predict", "--model", out.resolve("best.zip").toString(), "--input",
                m2.resolve("validation/image").toString(), "--output", dir.resolve("never-crf").toString(), "--crf",
                "--crf-theta-alpha", "0");
        assertEquals(2, badCrf.code());
        assertTrue(badCrf.err().contains("--crf-theta-alpha"), badCrf.err());

        exportWritesASmallerModelThatScoresTheSameAndCannotResume(out, e.out());
        exportsOnnxWithTheClassNamesAndPreprocessing(out);
    }

    /** {@code segnet export --format onnx} (issue 18): the file, its interface and metadata, and the flags' checks. */
    private static void exportsOnnxWithTheClassNamesAndPreprocessing(Path run) throws IOException {
        Path onnx = dir.resolve("export/model.onnx");
        Run x = run("export", "--format", "onnx", "--model", run.resolve("best.zip").toString(), "--output",
                onnx.toString(), "--class-map");
        assertEquals(0, x.code(), x.err());
        assertTrue(x.out().contains("ONNX opset 17") && x.out().contains("batch norms folded")
                && x.out().contains("'classes' INT64"), x.out());
        ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertEquals(List.of("logits", "classes"), m.getGraph().getOutputList().stream()
                .map(ai.onnx.proto.OnnxMl.ValueInfoProto::getName).toList());
        java.util.Map<String, String> props = new java.util.HashMap<>();
        m.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        assertTrue(props.get("segnet.class_names").startsWith("["), props.toString());
        assertTrue(props.containsKey("segnet.preprocessing") && props.containsKey("segnet.config"), props.toString());

        Run segnetFlag = run("export", "--model", run.resolve("best.zip").toString(), "--output",
                dir.resolve("export/y.zip").toString(), "--class-map");
        assertEquals(2, segnetFlag.code());
        assertTrue(segnetFlag.err().contains("--format onnx"), segnetFlag.err());
        Run badSize = run("export", "--format", "onnx", "--model", run.resolve("best.zip").toString(), "--output",
                dir.resolve("export/z.onnx").toString(), "--fixed-size", "30x30");
        assertEquals(2, badSize.code());
        assertTrue(badSize.err().contains("--fixed-size") && badSize.err().contains("32x32"), badSize.err());
        assertFalse(Files.exists(dir.resolve("export/z.onnx")));
        Run folder = run("export", "--format", "onnx", "--model", run.resolve("best.zip").toString(), "--output",
                dir.resolve("export").toString(), "--overwrite");
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("is a folder") && folder.err().contains("model.onnx"), folder.err());
        assertTrue(Files.isRegularFile(onnx), "a folder given as --output is left as it was");
    }

    /** The metric tables of an evaluate output (from the summary header to the end of the per-class table). */
    private static String scores(String evaluateOut) {
        String tables = evaluateOut.substring(evaluateOut.indexOf("mIoU"));
        return tables.substring(0, tables.lastIndexOf("+\n") + 1);
    }

    /** {@code segnet export} (issue 14): no optimiser state, same scores, refused by --resume with the fix. */
    private static void exportWritesASmallerModelThatScoresTheSameAndCannotResume(Path run, String checkpointScores)
            throws IOException {
        Path exported = dir.resolve("export/model.zip");
        Run x = run("export", "--model", run.resolve("best.zip").toString(), "--output", exported.toString());
        assertEquals(0, x.code(), x.err());
        assertTrue(x.out().contains("without the optimiser state"), x.out());
        assertTrue(Files.size(exported) < Files.size(run.resolve("best.zip")) * 0.5,
                Files.size(exported) + " vs " + Files.size(run.resolve("best.zip")));
        Files.copy(run.resolve("config.yaml"), dir.resolve("export/config.yaml"));
        Run e = run("evaluate", "--model", exported.toString(), "--flip");
        assertEquals(0, e.code(), e.err());
        assertFalse(e.err().contains("no training metadata"), "the export keeps the preprocessing: " + e.err());
        assertEquals(scores(checkpointScores), scores(e.out()), "the export scores exactly like the checkpoint");

        Run exists = run("export", "--model", run.resolve("best.zip").toString(), "--output", exported.toString());
        assertEquals(1, exists.code());
        assertTrue(exists.err().contains("--overwrite"), exists.err());
        Run self = run("export", "--model", exported.toString(), "--output", exported.toString(), "--overwrite");
        assertEquals(2, self.code());
        Run format = run("export", "--model", exported.toString(), "--output", "x.onnx", "--format", "tflite");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("segnet"), format.err());

        Path copy = dir.resolve("runs/exported");
        Files.createDirectories(copy);
        for (String f : List.of("config.yaml", "metrics.jsonl")) {
            Files.copy(run.resolve(f), copy.resolve(f));
        }
        Files.copy(exported, copy.resolve("last.zip"));
        Run resume = run("train", "--resume", "--output", copy.toString(), "--no-progress");
        assertEquals(1, resume.code());
        assertTrue(resume.err().contains("exported for inference") && resume.err().contains("--init"), resume.err());
    }
}
