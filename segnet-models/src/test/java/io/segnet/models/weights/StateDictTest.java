package io.segnet.models.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDictTest {

    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pth", "dtypes_legacy.pth", "dtypes.safetensors"})
    void everyDtypeAndStrideMatchesPyTorch(String file) throws IOException {
        StateDict actual = Goldens.read(file);
        StateDict expected = Goldens.read("dtypes_expected.safetensors");
        assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()), "keys, in order");
        for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), a.shape(), e.getKey() + ": shape");
            if (e.getValue().dtype() == DType.INT64 || e.getValue().dtype() == DType.INT32) {
                assertArrayEquals(e.getValue().toLongs(), a.toLongs(), e.getKey());
            } else {
                assertArrayEquals(e.getValue().toFloats(), a.toFloats(), 0f, e.getKey());
            }
        }
        assertEquals(DType.FLOAT16, actual.get("f16").dtype());
        assertEquals(DType.BFLOAT16, actual.get("bf16").dtype());
        assertEquals(DType.INT64, actual.get("i64").dtype());
        assertEquals((1L << 40) + 3, actual.get("i64").toLongs()[2]);
        assertArrayEquals(new float[]{0f, -1.5f, 65504f}, java.util.Arrays.copyOf(actual.get("f16").toFloats(), 3));
    }

    @Test
    void formatsAreRecognisedByContent() throws IOException {
        assertEquals(CheckpointFormat.TORCH_ZIP, Goldens.read("dtypes.pth").format());
        assertEquals(CheckpointFormat.TORCH_LEGACY, Goldens.read("dtypes_legacy.pth").format());
        assertEquals(CheckpointFormat.SAFETENSORS, Goldens.read("dtypes.safetensors").format());
    }

    @Test
    void aTrainingCheckpointYieldsItsStateDict() throws IOException {
        StateDict sd = Goldens.read("vgg16_w4.pth");
        assertTrue(sd.tensors().keySet().stream().allMatch(k -> k.startsWith("model.")), sd.tensors().keySet()
                .toString());
        assertArrayEquals(new long[]{4, 3, 3, 3}, sd.get("model.features.0.weight").shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"malicious.pth", "malicious_legacy.pth"})
    void aPickleCallingOsSystemIsRefused(String file) {
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class, () -> Goldens.read(file));
        assertEquals("posix.system", e.callable());
        assertTrue(e.getMessage().contains("'posix.system'") && e.getMessage().contains("cannot execute code"),
                e.getMessage());
    }

    @Test
    void arbitraryCallablesAreRefusedBeforeTheyAreResolved(@TempDir Path dir) throws IOException {
        // a legacy-format header followed by: builtins.eval("...") as the main pickle (protocol 0 GLOBAL + REDUCE)
        Path file = dir.resolve("evil.pth");
        byte[] magic = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
                0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};
        byte[] protocol = {(byte) 0x80, 2, 0x4d, (byte) 0xe9, 0x03, 0x2e};
        byte[] info = {(byte) 0x80, 2, 0x7d, 0x2e};
        byte[] evil = "cbuiltins\neval\n(S'1+1'\ntR.".getBytes(StandardCharsets.US_ASCII);
        Files.write(file, concat(magic, protocol, info, evil));
        UnsafeCheckpointException e = assertThrows(UnsafeCheckpointException.class, () -> StateDict.read(file));
        assertEquals("builtins.eval", e.callable());
    }

    @Test
    void aFileOfAnotherKindFailsWithItsFirstBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello, not a checkpoint");
        IOException e = assertThrows(IOException.class, () -> StateDict.read(file));
        assertTrue(e.getMessage().contains("neither a torch.save checkpoint"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> StateDict.read(dir.resolve("absent.pth")));
    }

    @Test
    void aTruncatedLegacyFileSaysSo(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Goldens.file("resnet34_w4_legacy.pth"));
        Path file = dir.resolve("cut.pth");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 100));
        IOException e = assertThrows(IOException.class, () -> StateDict.read(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void halfPrecisionConversionIsExact() {
        assertEquals(1.0f, Tensor.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, Tensor.halfToFloat((short) 0xc000));
        assertEquals(0x1p-24f, Tensor.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, Tensor.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(Tensor.halfToFloat((short) 0x7e00)));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
