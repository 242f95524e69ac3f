"""Runs ONNX's own checker (with full shape inference) on exported segnet models.

The Java tests prove every export against ONNX Runtime; this adds the reference checker of the `onnx` package, which
ONNX Runtime does not run in full. Export the test models first, then check them:

    mvn -o test -pl segnet-onnx -Dtest=OnnxExportTest -Dsegnet.onnx.dumpDir=/tmp/segnet-onnx
    /usr/bin/python3 segnet-onnx/src/test/python/check_onnx.py /tmp/segnet-onnx/*.onnx

Needs the `onnx` package (Debian: apt-get install python3-onnx; 1.12 knows opset 17). Exit status 1 if any file
fails.
"""
import sys

import onnx
import onnx.checker
import onnx.shape_inference


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    outs = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in inferred.graph.output}
    ops = sorted({n.op_type for n in model.graph.node})
    return outs, ops


def main(paths):
    failed = 0
    all_ops = set()
    for p in paths:
        try:
            outs, ops = check(p)
            all_ops.update(ops)
            print(f"ok    {p}  outputs {outs}")
        except Exception as e:  # report every file, then fail
            failed += 1
            print(f"FAIL  {p}: {e}")
    print(f"{len(paths) - failed} of {len(paths)} files pass onnx {onnx.__version__}'s checker; operators used:"
          f" {', '.join(sorted(all_ops))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
