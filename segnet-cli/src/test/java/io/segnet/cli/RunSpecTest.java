package io.segnet.cli;

import io.segnet.data.source.M2nistSource;
import io.segnet.models.ModelConfig;
import io.segnet.train.ConfigFiles;
import io.segnet.train.OptimizerType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSpecTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreTheQuickstart() {
        RunSpec d = RunSpec.load(null, ConfigFiles.JSON.createObjectNode());
        assertEquals("m2nist", d.data().type());
        assertEquals(4000, ((M2nistSource) d.data().source()).train());
        ModelConfig m = d.modelConfig(1, 11, 64, 84);
        assertEquals("unet", m.typeName());
        assertEquals(88, m.inputWidth(), "padded to a multiple of 8");
    }

    @Test
    void fileValuesAreOverriddenByFlags() throws IOException {
        Path f = Files.writeString(dir.resolve("r.yaml"), """
                data: {type: m2nist, train: 100}
                trainer: {epochs: 3, optimizer: sgd, learningRate: 0.05}
                model: {name: fcn8s}
                """);
        var flags = ConfigFiles.JSON.createObjectNode();
        flags.putObject("trainer").put("epochs", 7);
        RunSpec r = RunSpec.load(f, flags);
        assertEquals(7, r.trainer().epochs());
        assertEquals(OptimizerType.SGD, r.trainer().optimizer());
        assertEquals(100, ((M2nistSource) r.data().source()).train());
        assertEquals(1000, ((M2nistSource) r.data().source()).validation(), "fields the file leaves out keep their defaults");
        assertEquals("fcn", r.modelConfig(1, 11, 64, 84).typeName());
    }

    @Test
    void imagesOrMasksWithoutADataTypeMeanFolderData() throws IOException {
        var flags = ConfigFiles.JSON.createObjectNode();
        flags.putObject("data").put("images", "a").put("masks", "b").put("numClasses", 3);
        assertEquals("folder", RunSpec.load(null, flags).data().type(), "--images without --data: folder, not M2NIST");
        Path file = Files.writeString(dir.resolve("f.yaml"), "data: {images: a, masks: b, numClasses: 3}\n");
        assertEquals("folder", RunSpec.load(file, ConfigFiles.JSON.createObjectNode()).data().type());
        Path typed = Files.writeString(dir.resolve("m.yaml"), "data: {type: m2nist, train: 100}\n");
        assertEquals("m2nist", RunSpec.load(typed, ConfigFiles.JSON.createObjectNode()).data().type(),
                "a type given stays");
    }

    @Test
    void mistakesAreUsageErrorsNamingTheSetting() throws IOException {
        Path typo = Files.writeString(dir.resolve("t.yaml"), "trainer: {epoch: 3}\n");
        UsageException e = assertThrows(UsageException.class, () -> RunSpec.load(typo,
                ConfigFiles.JSON.createObjectNode()));
        assertTrue(e.getMessage().contains("unknown setting 'epoch'"), e.getMessage());
        Path both = Files.writeString(dir.resolve("b.yaml"), "model: {name: unet, type: unet}\n");
        e = assertThrows(UsageException.class, () -> RunSpec.load(both, ConfigFiles.JSON.createObjectNode()));
        assertTrue(e.getMessage().contains("either a name"), e.getMessage());
        Path unknown = Files.writeString(dir.resolve("u.yaml"), "model: {name: resnet}\n");
        RunSpec r = RunSpec.load(unknown, ConfigFiles.JSON.createObjectNode());
        e = assertThrows(UsageException.class, () -> r.modelConfig(1, 2, 64, 64));
        assertTrue(e.getMessage().contains("unknown architecture 'resnet'"), e.getMessage());
        Path folder = Files.writeString(dir.resolve("f.yaml"), "data: {type: folder, images: a}\n");
        e = assertThrows(UsageException.class, () -> RunSpec.load(folder, ConfigFiles.JSON.createObjectNode()));
        assertTrue(e.getMessage().contains("data.images and data.masks"), e.getMessage());
    }

    @Test
    void encoderFlagsLayOverTheFilesModelAndWeightsBringImageNetNormalisation() throws IOException {
        Path f = Files.writeString(dir.resolve("e.yaml"), "model: {name: deeplabv3plus}\n");
        var flags = ConfigFiles.JSON.createObjectNode();
        flags.putObject("model").put("encoder", "resnet34").put("encoderWeights", "r34.pth");
        RunSpec r = RunSpec.load(f, flags);
        assertEquals(Path.of("r34.pth"), r.encoderWeights());
        ModelConfig m = r.modelConfig(3, 2, 250, 250);
        assertEquals(new io.segnet.models.encoder.ResNetConfig(34, 16, 64,
                io.segnet.models.encoder.ResNetConfig.Dilation.TORCHVISION),
                io.segnet.models.weights.EncoderWeights.encoderOf(m), "DeepLabv3+ keeps output stride 16");
        assertEquals(EncoderWeightsImport.IMAGENET, r.data().preprocessing());

        Path own = Files.writeString(dir.resolve("o.yaml"), "data: {mean: [0.5], std: [0.5]}\nmodel: {name: unet,"
                + " encoder: vgg16bn, encoderWeights: v.pth}\n");
        RunSpec o = RunSpec.load(own, ConfigFiles.JSON.createObjectNode());
        assertEquals(java.util.List.of(0.5), o.data().preprocessing().mean(), "the file's normalisation wins");
        assertEquals("vgg16", io.segnet.models.weights.EncoderWeights.encoderOf(o.modelConfig(3, 2, 64, 64))
                .typeName());
        assertEquals(null, RunSpec.load(null, ConfigFiles.JSON.createObjectNode()).encoderWeights());

        Path full = Files.writeString(dir.resolve("c.yaml"), "model: {type: unet, encoder: resnet18}\n");
        RunSpec c = RunSpec.load(full, ConfigFiles.JSON.createObjectNode());
        UsageException e = assertThrows(UsageException.class, () -> c.modelConfig(3, 2, 64, 64));
        assertTrue(e.getMessage().contains("not the name 'resnet18'"), e.getMessage());
    }
}
