"""Runs ONNX's own checker (with full_check: strict shape inference) on each file named on the command line.

Used by tl4j's exporter tests with Debian's /usr/bin/python3 and python3-onnx. Prints one line per file and
exits 1 when any file fails.
"""
import sys

import onnx


def main(paths):
    failed = 0
    for path in paths:
        try:
            onnx.checker.check_model(onnx.load(path), full_check=True)
            print("ok", path)
        except Exception as e:  # report every file, not only the first failure
            failed += 1
            print("FAILED", path, type(e).__name__, e)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
