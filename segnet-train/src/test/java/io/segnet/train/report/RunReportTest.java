package io.segnet.train.report;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.MetricReport;
import io.segnet.models.LossConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.log.EpochRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    /** A 3-channel 6x8 image, left half class 0, right half class 1, one ignored pixel. */
    private static Sample sample(String id) {
        float[] img = new float[3 * 48];
        int[] mask = new int[48];
        for (int i = 0; i < 48; i++) {
            img[i] = (i % 8) / 8f;
            mask[i] = i % 8 < 4 ? 0 : 1;
        }
        mask[0] = 255;
        return new Sample(id, 3, 6, 8, img, mask, 255);
    }

    private static EpochRecord epoch(int e, double loss, double miou) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("meanIoU", miou);
        v.put("pixelAccuracy", 0.5 + miou / 2);
        return new EpochRecord(e, 10L * e, loss, 1e-3 / e, 2.0, 0.5, 12.5, v, Map.of(), miou, e == 3);
    }

    private static MetricReport report() {
        ConfusionMatrix m = new ConfusionMatrix(3, 255);
        m.add(new int[]{0, 0, 1, 1, 1, 0}, new int[]{0, 0, 1, 1, 0, 255});
        return MetricReport.of(m, List.of("back<ground>", "R&D \"tie\"", "never"), 1.0, 1);
    }

    @Test
    void theReportIsOneWellFormedSelfContainedPageWithEverySection(@TempDir Path dir) throws Exception {
        Sample s = sample("img/1");
        int[] prediction = s.mask().clone();
        prediction[0] = 0;
        prediction[5] = 0; // one wrong pixel
        SamplePanel panel = new SamplePanel(s, prediction, SamplePanel.meanIoU(prediction, s.mask(), 3, 255));
        RunReport.Content c = new RunReport.Content("runs/a<b>", List.of("unet, 3 classes"),
                List.of(epoch(1, 1.0, 0.2), epoch(2, 0.7, 0.4), epoch(3, 0.5, 0.6)), report(), List.of(panel, panel),
                List.of(panel), List.of(panel), List.of("back<ground>", "R&D \"tie\"", "never"));
        Path file = dir.resolve(RunReport.FILE);
        RunReport.write(file, c);
        String html = Files.readString(file);

        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script")
                || html.contains("<link"), "nothing outside the file is referenced");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        List<String> headings = new ArrayList<>();
        NodeList h2 = doc.getElementsByTagName("h2");
        for (int i = 0; i < h2.getLength(); i++) {
            headings.add(h2.item(i).getTextContent());
        }
        assertEquals(List.of("Scores", "Training", "Samples", "Classes", "Confusion matrix"), headings);
        assertEquals(4, doc.getElementsByTagName("svg").getLength(), "loss, learning rate, validation, images/s");
        NodeList imgs = doc.getElementsByTagName("img");
        assertEquals(4 * 4, imgs.getLength(), "4 panels (image, truth, prediction, error) for each of 4 rows");
        for (int i = 0; i < imgs.getLength(); i++) {
            String src = ((Element) imgs.item(i)).getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), src);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    src.substring("data:image/png;base64,".length()))));
            assertEquals(8 * 16, png.getWidth(), "a 6x8 image is enlarged by a whole factor: 16");
            assertEquals(6 * 16, png.getHeight());
        }
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("back<ground>") && text.contains("R&D \"tie\""), "names escaped and shown");
        assertTrue(text.contains("img/1 (6x8), IoU 95.83%"), "the panel's IoU: 23/24 for both classes");
        BufferedImage error = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(((Element) imgs.item(3))
                .getAttribute("src").substring("data:image/png;base64,".length()))));
        assertEquals(0xff2d55, error.getRGB(5 * 16 + 8, 8) & 0xFFFFFF, "the wrong pixel is red in the error panel");
        assertEquals(0x3a3a3a, error.getRGB(8, 8) & 0xFFFFFF, "the ignored pixel is gray");
    }

    @Test
    void aNamedBackgroundClassShowsTheDimmedImageInThePanels() throws Exception {
        Sample s = sample("x");
        SamplePanel panel = new SamplePanel(s, s.mask().clone(), 1.0);
        String html = RunReport.html(new RunReport.Content("t", List.of(), List.of(), null, List.of(panel), List.of(),
                List.of(), List.of("null", "shirt", "hat")));
        assertTrue(html.contains("null: the dimmed image"), "CCP names its background null");
        List<String> srcs = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("base64,([A-Za-z0-9+/=]+)").matcher(html);
        while (m.find()) {
            srcs.add(m.group(1));
        }
        BufferedImage truth = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(srcs.get(1))));
        int px = Math.round(2 / 8f * 255) / 3; // column 2: class 0, red channel 2/8 (green and blue 0)
        assertEquals(px << 16, truth.getRGB(2 * 16 + 8, 2 * 16 + 8) & 0xFFFFFF);
    }

    @Test
    void samplesAreChosenTheSameWayEveryTime() {
        assertArrayEquals(new int[]{0, 25, 50, 75}, ReportSamples.spread(100, 4));
        assertArrayEquals(new int[]{0, 1}, ReportSamples.spread(2, 4));
        double[] iou = {0.5, Double.NaN, 0.9, 0.1, 0.9};
        assertArrayEquals(new int[]{2, 4, 0}, ReportSamples.best(iou, 3), "ties by index, NaN left out");
        assertArrayEquals(new int[]{3, 0}, ReportSamples.worst(iou, 2));
        assertEquals(0.5, SamplePanel.meanIoU(new int[]{0, 1, 1, 9}, new int[]{0, 0, 1, 255}, 2, 255), 1e-12,
                "class 0: 1 / (2 + 1 - 1), class 1: 1 / (1 + 2 - 1); the ignored pixel left out");
    }

    @Test
    void anImageInSeveralGroupsIsPredictedOnce() {
        // 3 validation images: each is among the spread, the best and the worst
        List<Sample> samples = List.of(sample("a"), sample("b"), sample("c"));
        int[] reads = new int[1];
        SampleSource source = new SampleSource() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public Sample get(int index) {
                reads[0]++;
                return samples.get(index);
            }

            @Override
            public String id(int index) {
                return samples.get(index).id();
            }

            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public List<String> classNames() {
                return List.of("left", "right");
            }
        };
        SegmentationModel model = SegmentationModels.create(new UNetConfig(3, 2, 6, 8,
                new SmallEncoderConfig(2, 1, true), Upsampling.BILINEAR, true, List.of(), LossConfig.crossEntropy()));
        ReportSamples.Selection selection = ReportSamples.select(Predictor.of(model, Preprocessing.none(),
                PredictorConfig.defaults()), source, new double[] {0.2, 0.9, 0.5}, 2, 255);
        assertEquals(3, reads[0], "one prediction per image");
        assertEquals(List.of("a", "b", "c"), selection.samples().stream().map(p -> p.sample().id()).toList());
        assertEquals(List.of("b", "c", "a"), selection.best().stream().map(p -> p.sample().id()).toList());
        assertEquals(List.of("a", "c", "b"), selection.worst().stream().map(p -> p.sample().id()).toList());
        assertSame(selection.samples().get(1), selection.best().get(0));
    }
}
