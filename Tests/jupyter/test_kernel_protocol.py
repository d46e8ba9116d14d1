"""jupyter_kernel_test's protocol checks for the DVS kernel: every message is
validated against the messaging spec, and each test runs real DVS code."""
import os
import tempfile

import jupyter_kernel_test as jkt

# A file to complete the path of, inside a string.
FOLDER = tempfile.mkdtemp(prefix="dvs-kernel-test-")
open(os.path.join(FOLDER, "notes_for_completion.txt"), "w").close()


class DVSKernelProtocolTests(jkt.KernelTests):
    kernel_name = "dvs"
    language_name = "dvs"
    file_extension = ".dvs"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'write_text("/dev/stderr", "to standard error\\n")'
    code_generate_error = "1 / 0"
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"dv" + "sft"', "result": '"dvsft"'},
        {"code": "[1, 2, 3].map(fn(x) { x * x })", "result": "[1, 4, 9]"},
        {"code": "zeros([2])", "result": "Tensor[2] f32\n[0, 0]"},
    ]
    code_display_data = [
        {"code": "show(plot([1, 4, 9, 16]))", "mime": "image/png"},
        {"code": "show(plot([1, 4, 9, 16]))", "mime": "image/svg+xml"},
        {"code": "show(text_page([[\"direct\", \"vision\"]], size: 16).image)", "mime": "image/png"},
        {"code": "let w = param(ones([3, 2]), \"w\")\nshow(graph((ones([4, 3]) @ w).sum()))", "mime": "image/svg+xml"},
        {"code": "scatter([1, 2, 3], [3, 1, 2])", "mime": "image/png"},
    ]
    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "let t = 1\nwhil", "matches": {"while"}},
        {"text": "zeros([2]).resh", "matches": {".reshape"}},
        {"text": 'import "sta', "matches": {"stats"}},
        {"text": f'read_text("{FOLDER}/notes_for', "matches": {f"{FOLDER}/notes_for_completion.txt"}},
    ]
    complete_code_samples = ["1 + 1", "let x = 3", "fn f(a) { a * 2 }", 'print("done")']
    incomplete_code_samples = ["fn f(a) {", "[1, 2,", '"an open string', "if true {\n  1"]
    invalid_code_samples = ["let = 3", "1 +* 2", ")"]
    code_inspect_sample = "zeros"
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
