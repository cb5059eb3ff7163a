"""The Jupyter project's own kernel test suite (jupyter_kernel_test) against the nnlab kernel.

Run by test/kernel/jupyter-kernel-test.test.ts with JUPYTER_PATH pointing at the nnlab
kernelspec and the working directory inside the repository (so that `nnlab` resolves).
Only the pager test is skipped: TypeScript has no pager payload.
"""
import unittest

import jupyter_kernel_test as jkt


class NnlabKernelTests(jkt.KernelTests):
    kernel_name = "nnlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'

    completion_samples = [
        {"text": "Math.hyp", "matches": {"hypot"}},
        {"text": "const zebra = 1, zebu = 2;\nzeb", "matches": {"zebra", "zebu"}},
    ]
    complete_code_samples = ["1 + 1", "let x = 1;", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "let a = [1,", "if (true) {\n  1"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "[1, 2].map((v) => v * 2)", "result": "[ 2, 4 ]"},
    ]
    code_display_data = [
        {"code": 'import { display } from "nnlab";\ndisplay("shown")', "mime": "text/plain"},
        {"code": 'require("tslab").display.html("<b>x</b>")', "mime": "text/html"},
    ]

    # sqlite GLOB, as IPython: matches the input "6 * 7" of code_execute_result.
    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"
    code_clear_output = 'import { clearOutput } from "nnlab";\nclearOutput();'


if __name__ == "__main__":
    unittest.main()
