/**
 * ONNX export of segnet models: {@link io.segnet.onnx.OnnxExport} writes a model's inference graph as an ONNX file
 * (opset 17; dynamic batch, height and width; logits and optionally the class map), with batch norm folded into the
 * convolutions by default. The operators used per layer are listed in {@code GraphTranslation}; every architecture's
 * export is checked against ONNX Runtime in the tests. See {@code docs/onnx.md}.
 */
package io.segnet.onnx;
