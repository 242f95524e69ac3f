package io.segnet.models;

import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Save then load restores the graph, its parameters, optimiser state, config and model card. */
class SaveLoadTest {
    @TempDir
    Path dir;

    private static SegmentationModel trained(ModelConfig config, INDArray[] batch) {
        SegmentationModel m = SegmentationModels.create(config);
        m.fit(batch[0], batch[1]);
        m.fit(batch[0], batch[1]);
        return m;
    }

    @Test
    void loadGivesIdenticalOutputsAndTrainingContinuesIdentically() throws IOException {
        List<ModelConfig> configs = List.of(
                UNetPlusPlusConfig.of(1, 3, 32, 32, 4, 2),
                new SegNetConfig(1, 3, 32, 32, new SmallEncoderConfig(4, 2, true), true, LossConfig.crossEntropy()),
                new PSPNetConfig(1, 3, 32, 32, new ResNetConfig(18, 8, 4, ResNetConfig.Dilation.TORCHVISION),
                        List.of(1, 2), 0, 8, true, 4, 0.4, LossConfig.crossEntropy()));
        for (ModelConfig config : configs) {
            INDArray[] batch = TestData.batch(3, 2, 1, 32, 32, 3);
            SegmentationModel model = trained(config, batch);
            model.setCard(model.card().withDataFingerprint("sha256:abc").withMetric("mIoU", 0.5));
            Path file = dir.resolve(config.typeName() + ".zip");
            model.save(file);

            SegmentationModel forInference = SegmentationModel.loadForInference(file);
            INDArray x0 = TestData.images(9, 2, 1, 32, 32);
            assertEquals(model.logits(x0), forInference.logits(x0), config.typeName() + ": loaded for inference");
            assertEquals(null, forInference.graph().getUpdater(false), "no optimiser state is loaded for inference");

            SegmentationModel loaded = SegmentationModel.load(file);
            assertNotNull(loaded.graph().getUpdater(false));
            assertEquals(config, loaded.config());
            assertEquals(model.card(), loaded.card());
            assertEquals(model.outputs(), loaded.outputs());
            INDArray x = TestData.images(9, 2, 1, 32, 32);
            assertEquals(model.logits(x), loaded.logits(x), config.typeName() + ": logits after loading");
            assertEquals(model.graph().params(), loaded.graph().params());

            double a = model.fit(batch[0], batch[1]), b = loaded.fit(batch[0], batch[1]);
            assertEquals(a, b, 1e-6, config.typeName() + ": same loss on the next step");
            assertEquals(model.graph().params(), loaded.graph().params(),
                    config.typeName() + ": the optimiser state was restored, so the next update is identical");
        }
    }

    @Test
    void theZipHoldsTheGraphTheConfigAndTheModelCard() throws IOException {
        SegmentationModel model = SegmentationModels.create(UNetPlusPlusConfig.of(1, 2, 16, 16, 2, 1));
        Path file = dir.resolve("m.zip");
        model.save(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertNotNull(zip.getEntry("configuration.json"));
            assertNotNull(zip.getEntry("coefficients.bin"));
            assertNotNull(zip.getEntry("updaterState.bin"));
            String config = new String(zip.getInputStream(zip.getEntry(SegmentationModel.CONFIG_ENTRY)).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(config.contains("\"type\" : \"unetplusplus\""), config);
            String card = new String(zip.getInputStream(zip.getEntry(SegmentationModel.CARD_ENTRY)).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(card.contains("\"dl4jVersion\" : \"1.0.0-M2.1\""), card);
            assertTrue(card.contains("\"segnetVersion\" : \"0.1.0\""), card);
            assertTrue(card.contains("\"seed\" : 42"), card);
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void anExistingFileIsOnlyReplacedWhenAsked() throws IOException {
        SegmentationModel model = SegmentationModels.create(UNetPlusPlusConfig.of(1, 2, 16, 16, 2, 1));
        Path file = dir.resolve("exists.zip");
        Files.writeString(file, "precious");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> model.save(file));
        assertTrue(e.getMessage().contains("overwrite"), e.getMessage());
        assertEquals("precious", Files.readString(file));
        model.save(file, true);
        assertEquals(model.config(), SegmentationModel.load(file).config());
    }

    @Test
    void badFilesFailWithMessagesThatSayWhatIsWrong() throws IOException {
        assertThrows(NoSuchFileException.class, () -> SegmentationModel.load(dir.resolve("missing.zip")));

        Path text = dir.resolve("text.zip");
        Files.writeString(text, "not a zip");
        IllegalArgumentException notZip = assertThrows(IllegalArgumentException.class,
                () -> SegmentationModel.load(text));
        assertTrue(notZip.getMessage().contains("not a segnet model file"), notZip.getMessage());

        Path noConfig = dir.resolve("dl4j-only.zip");
        try (OutputStream out = Files.newOutputStream(noConfig); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SegmentationModel.load(noConfig));
        assertTrue(missing.getMessage().contains("'config.json'"), missing.getMessage());
    }

    @Test
    void aLoadedModelPredictsTheSameClassMaps() throws IOException {
        ModelConfig config = new SegNetConfig(1, 3, 32, 32, new SmallEncoderConfig(4, 2, false), false,
                LossConfig.crossEntropy());
        INDArray[] batch = TestData.batch(4, 2, 1, 32, 32, 3);
        SegmentationModel model = trained(config, batch);
        Path file = dir.resolve("segnet.zip");
        model.save(file);
        INDArray x = TestData.images(2, 3, 1, 35, 33);
        INDArray expected = model.predict(x);
        INDArray actual = SegmentationModel.load(file).predict(x);
        assertArrayEquals(new long[]{3, 1, 35, 33}, actual.shape());
        assertEquals(expected, actual);
    }
}
