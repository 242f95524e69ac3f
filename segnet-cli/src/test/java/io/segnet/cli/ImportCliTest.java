package io.segnet.cli;

import io.segnet.models.SegmentationModel;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.weights.StateDict;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.TrainingMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code segnet import} in-process, with segnet-models' smp DeepLabV3Plus golden ({@code module.} keys, ResNet-18 of
 * width 4 at output stride 8, rates 2/4/6, 2 classes), then evaluate and fine-tune the imported model on the
 * repository's membrane images read as RGB.
 */
class ImportCliTest {
    static final Path WEIGHTS = Path.of("../segnet-models/src/test/resources/weights");
    static final Path MEMBRANE = Path.of("../data/membrane/train");

    @TempDir
    static Path dir;

    private static Path model;
    private static Path settings;

    @BeforeAll
    static void importTheGolden() throws IOException {
        model = dir.resolve("deeplab.zip");
        CliTest.Run r = CliTest.run("import", WEIGHTS.resolve("smp_deeplabv3plus_r18_os8.pth").toString(),
                "--output", model.toString(), "--output-stride", "8", "--atrous-rates", "2,4,6", "--input-size",
                "64x96", "--class-names", "background,membrane");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("smp's DeepLabV3Plus on ResNet-18 (output stride 8), 3 input channel(s), 2"
                + " class(es) -> segnet deeplabv3plus (DeepLabV3PlusConfig.smp)"), r.out());
        assertTrue(r.out().contains("152 tensors loaded (prefix 'module.' stripped), 29 dropped, 0 unexpected,"
                + " 0 missing"), r.out());
        assertTrue(r.out().contains("normalisation: ImageNet's mean [0.485, 0.456, 0.406]"), r.out());
        settings = dir.resolve("run.yaml");
        Files.writeString(settings, "data: {type: folder, images: " + MEMBRANE.resolve("image").toAbsolutePath()
                + ", masks: " + MEMBRANE.resolve("label").toAbsolutePath() + ", numClasses: 2, classNames:"
                + " [background, membrane], maskFormat: binary255, validationFraction: 0.1, imageChannels: 3}\n");
    }

    @Test
    void theWrittenModelComputesPyTorchsLogitsAndCarriesItsNormalisation() throws IOException {
        SegmentationModel m = SegmentationModel.load(model);
        assertTrue(m.config() instanceof DeepLabV3PlusConfig d && d.alignCorners() && d.fuseConvs() == 1
                && d.asppRates().equals(List.of(2, 4, 6)), m.config().toString());
        StateDict expected = StateDict.read(WEIGHTS.resolve("expected_models.safetensors"));
        INDArray want = expected.get("smp_deeplabv3plus_r18_os8").toINDArray();
        INDArray got = m.logits(expected.get("input").toINDArray());
        double err = want.sub(got).amaxNumber().doubleValue(), scale = want.amaxNumber().doubleValue();
        assertTrue(err <= 1e-4 * scale, "max |error| " + err + " of " + scale);
        TrainingMetadata meta = Checkpoint.readMetadata(model).orElseThrow();
        assertEquals(List.of(0.229, 0.224, 0.225), meta.preprocessing().std());
        assertEquals(List.of("background", "membrane"), meta.classNames());
    }

    @Test
    void torchvisionsSegmentationModelsImportToo() throws IOException {
        Path fcn = dir.resolve("fcn.zip");
        CliTest.Run r = CliTest.run("import", WEIGHTS.resolve("tv_fcn_r50.pth").toString(), "--output",
                fcn.toString(), "--input-size", "96x128");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("torchvision's fcn_resnet50 on ResNet-50") && r.out().contains("-> segnet pspnet"
                + " (PSPNetConfig.torchvisionFcn)"), r.out());
        StateDict expected = StateDict.read(WEIGHTS.resolve("expected_models.safetensors"));
        INDArray want = expected.get("tv_fcn_r50").toINDArray();
        INDArray got = SegmentationModel.load(fcn).logits(expected.get("input_large").toINDArray());
        assertTrue(want.sub(got).amaxNumber().doubleValue() <= 1e-4 * want.amaxNumber().doubleValue());

        CliTest.Run smpFlags = CliTest.run("import", WEIGHTS.resolve("tv_deeplabv3_r50_legacy.pth").toString(),
                "--output", dir.resolve("dl.zip").toString(), "--output-stride", "16");
        assertEquals(2, smpFlags.code(), smpFlags.err());
        assertTrue(smpFlags.err().contains("--arch, --output-stride and --atrous-rates are for smp models"),
                smpFlags.err());
    }

    @Test
    void theImportedModelEvaluatesAndFineTunesWithItsNormalisation() throws IOException {
        CliTest.Run e = CliTest.run("evaluate", "--model", model.toString(), "--config", settings.toString());
        assertEquals(0, e.code(), e.err() + e.out());
        assertTrue(e.out().contains("on 3 validation images"), e.out());

        Path run = dir.resolve("fine-tune");
        CliTest.Run t = CliTest.run("train", "--init", model.toString(), "--config", settings.toString(), "--crop",
                "64x64", "--batch-size", "2", "--iterations", "2", "--no-progress", "--output", run.toString());
        assertEquals(0, t.code(), t.err() + t.out());
        assertTrue(t.out().contains("normalisation: mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225] (the --init"
                + " model's"), t.out());
        assertEquals(List.of(0.485, 0.456, 0.406),
                Checkpoint.readMetadata(run.resolve("last.zip")).orElseThrow().preprocessing().mean());

        Path own = dir.resolve("own-normalisation");
        t = CliTest.run("train", "--init", model.toString(), "--config", settings.toString(), "--crop", "64x64",
                "--batch-size", "2", "--iterations", "1", "--mean", "0.5", "--std", "0.25", "--no-progress",
                "--output", own.toString());
        assertEquals(0, t.code(), t.err() + t.out());
        assertTrue(t.out().contains("normalisation: mean [0.5], std [0.25] as given; note that the --init model was"
                + " trained with mean [0.485, 0.456, 0.406]"), t.out());
    }

    @Test
    void aSavePretrainedFolderGivesDeepLabsStrideAndRatesThroughItsConfigJson() throws IOException {
        Path hub = Files.createDirectories(dir.resolve("hub"));
        Files.copy(WEIGHTS.resolve("smp_deeplabv3plus_r18_os8.pth"), hub.resolve("pytorch_model.bin"));
        Files.writeString(hub.resolve("config.json"), "{\"encoder_name\": \"resnet18\", \"encoder_output_stride\": 8,"
                + " \"decoder_atrous_rates\": [2, 4, 6], \"classes\": 2}");
        Path out = dir.resolve("hub.zip");
        CliTest.Run r = CliTest.run("import", hub.toString(), "--output", out.toString(), "--input-size", "64x96");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("config.json: encoder_output_stride 8, decoder_atrous_rates [2, 4, 6]"), r.out());
        StateDict expected = StateDict.read(WEIGHTS.resolve("expected_models.safetensors"));
        INDArray want = expected.get("smp_deeplabv3plus_r18_os8").toINDArray();
        INDArray got = SegmentationModel.load(out).logits(expected.get("input").toINDArray());
        assertTrue(want.sub(got).amaxNumber().doubleValue() <= 1e-4 * want.amaxNumber().doubleValue());
        Path unetHub = Files.createDirectories(dir.resolve("hub-unet"));
        Files.copy(WEIGHTS.resolve("smp_unet_r18_bilinear.pth"), unetHub.resolve("pytorch_model.bin"));
        Files.writeString(unetHub.resolve("config.json"), "{\"decoder_interpolation\": \"bilinear\"}");
        r = CliTest.run("import", unetHub.toString(), "--output", dir.resolve("unet-bilinear.zip").toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("config.json: decoder_interpolation bilinear"), r.out());
        want = expected.get("smp_unet_r18_bilinear").toINDArray();
        got = SegmentationModel.load(dir.resolve("unet-bilinear.zip")).logits(expected.get("input").toINDArray());
        assertTrue(want.sub(got).amaxNumber().doubleValue() <= 1e-4 * want.amaxNumber().doubleValue());
        r = CliTest.run("import", dir.toString(), "--output", dir.resolve("none.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("without model.safetensors or pytorch_model.bin"), r.err());
    }

    @Test
    void ownNormalisationAndOverwrite() throws IOException {
        Path out = dir.resolve("unet.zip");
        String unet = WEIGHTS.resolve("smp_unet_r34.pth").toString();
        assertEquals(0, CliTest.run("import", unet, "--output", out.toString()).code());
        CliTest.Run r = CliTest.run("import", unet, "--output", out.toString(), "--overwrite", "--arch", "Unet",
                "--mean", "0.5,0.5,0.5", "--std", "0.2,0.2,0.2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("normalisation: mean [0.5, 0.5, 0.5], std [0.2, 0.2, 0.2] as given"), r.out());
        assertEquals(List.of(0.2, 0.2, 0.2), Checkpoint.readMetadata(out).orElseThrow().preprocessing().std());
        r = CliTest.run("import", unet, "--output", out.toString(), "--overwrite", "--mean", "0.5", "--std", "0.2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--mean/--std give 1 channel(s), the model takes 3"), r.err());
    }

    @Test
    void mistakesAreExplained() {
        CliTest.Run r = CliTest.run("import", WEIGHTS.resolve("resnet18_w4.pth").toString(), "--output",
                dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("an encoder alone") && r.err().contains("encoder weights"), r.err());

        r = CliTest.run("import", WEIGHTS.resolve("smp_pspnet_r18.pth").toString(), "--arch", "unet", "--output",
                dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the checkpoint is smp's PSPNet, not Unet"), r.err());

        r = CliTest.run("import", WEIGHTS.resolve("smp_pspnet_r18.pth").toString(), "--output", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("exists; give --overwrite"), r.err());

        r = CliTest.run("import", WEIGHTS.resolve("smp_pspnet_r18.pth").toString(), "--class-names", "a,b",
                "--output", dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--class-names gives 2 names, the model has 3 classes"), r.err());

        r = CliTest.run("import", WEIGHTS.resolve("smp_pspnet_r18.pth").toString(), "--output-stride", "8",
                "--output", dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("DeepLabV3Plus's settings"), r.err());

        r = CliTest.run("predict", "--model", WEIGHTS.resolve("smp_unet_r34.pth").toString(), "--input",
                MEMBRANE.resolve("image").toString(), "--output", dir.resolve("pred").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("it is a PyTorch checkpoint") && r.err().contains("segnet import"), r.err());
    }
}
