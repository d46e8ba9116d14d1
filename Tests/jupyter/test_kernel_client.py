"""The DVS kernel driven by jupyter_client, started from the installed
kernelspec as JupyterLab or VS Code start it: cells keep state, a running cell
is interrupted by a signal, messages with bad signatures are dropped, input()
asks the client, and shutdown ends the process."""
import os
import queue
import tempfile
import time
import unittest

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session


class KernelClientTests(unittest.TestCase):
    def setUp(self):
        # Where show() would save pictures outside a kernel: it must stay empty.
        self.display_dir = tempfile.mkdtemp(prefix="dvs-kernel-display-")
        self.km = KernelManager(kernel_name="dvs")
        self.km.start_kernel(env={**os.environ, "DVS_DISPLAY_DIR": self.display_dir})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=30)

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def run_cell(self, code, **options):
        """The execute_reply's content and the cell's iopub messages (no status, no execute_input)."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=30, output_hook=outputs.append, **options)
        return reply["content"], [m for m in outputs if m["msg_type"] not in ("status", "execute_input")]

    def value(self, code):
        content, outputs = self.run_cell(code)
        self.assertEqual(content["status"], "ok", content)
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def test_the_kernelspec_is_found_and_says_how_to_interrupt(self):
        spec = KernelSpecManager().get_kernel_spec("dvs")
        self.assertEqual(spec.language, "dvs")
        self.assertEqual(spec.interrupt_mode, "signal")
        self.assertEqual(spec.argv[1:], ["kernel", "-f", "{connection_file}"])
        self.assertTrue(os.path.isfile(os.path.join(spec.resource_dir, "logo-64x64.png")))

    def test_cells_share_state_and_a_failing_cell_changes_nothing(self):
        self.run_cell("var total = 10")
        content, outputs = self.run_cell("total = 99\nlet extra = 1\nnope()")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "Error")
        self.assertIn("unknown name 'nope'", content["evalue"])
        traceback = "\n".join(content["traceback"])
        self.assertIn("nope()", traceback)   # the source line with its caret
        self.assertIn("^", traceback)
        self.assertEqual(self.value("total"), "10")
        content, _ = self.run_cell("extra")
        self.assertEqual(content["status"], "error")

    def test_execution_counts_advance_as_in_ipython(self):
        first, _ = self.run_cell("1")
        failed, _ = self.run_cell("1 / 0")
        quiet, outputs = self.run_cell("2", silent=True)
        unstored, _ = self.run_cell("3", store_history=False)
        last, _ = self.run_cell("Out[1] + _")
        self.assertEqual([first["execution_count"], failed["execution_count"], quiet["execution_count"],
                          unstored["execution_count"], last["execution_count"]], [1, 2, 2, 2, 3])
        self.assertEqual(outputs, [], "a silent cell publishes no result")
        self.assertEqual(self.value("Out[3]"), "2")

    def test_interrupt_stops_a_running_cell_and_keeps_state(self):
        self.run_cell("let kept = 41")
        msg_id = self.kc.execute("while true { }")
        # Wait until the cell runs (its execute_input), then interrupt as JupyterLab's stop button does.
        while True:
            msg = self.kc.get_iopub_msg(timeout=10)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(0.2)
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=2)   # the cell ends within 2 s
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(self.value("kept + 1"), "42")

    def test_cells_queued_behind_a_failing_cell_are_aborted(self):
        # As JupyterLab's "Run All": every cell is sent before the first reply.
        codes = ["let a = 1", "var i = 0\nwhile i < 100000 { i += 1 }\n1 / 0", "let b = 2", "a + 1"]
        ids = [self.kc.execute(code) for code in codes]
        replies = {}
        while len(replies) < len(ids):
            reply = self.kc.get_shell_msg(timeout=30)
            replies[reply["parent_header"]["msg_id"]] = reply["content"]["status"]
        self.assertEqual([replies[i] for i in ids], ["ok", "error", "aborted", "aborted"])
        content, _ = self.run_cell("b")
        self.assertEqual(content["status"], "error", "an aborted cell did not run")
        self.assertEqual(self.value("a"), "1")
        ids = [self.kc.execute("1 / 0", stop_on_error=False), self.kc.execute("a + 2")]
        statuses = [self.kc.get_shell_msg(timeout=30)["content"]["status"] for _ in ids]
        self.assertEqual(statuses, ["error", "ok"], "stop_on_error false runs the next cell")

    def test_messages_with_a_bad_or_no_signature_are_dropped(self):
        socket = self.kc.shell_channel.socket
        for key in (b"not-the-key", b""):
            forger = Session(key=key, session=self.kc.session.session, username="mallory")
            forger.send(socket, forger.msg("execute_request", {"code": "let forged = 1", "silent": False}))
        with self.assertRaises(queue.Empty):
            self.kc.get_shell_msg(timeout=1)
        content, _ = self.run_cell("forged")
        self.assertEqual(content["status"], "error", "the forged cell did not run")
        self.assertEqual(self.value("1 + 1"), "2")

    def test_pictures_are_display_data_and_never_files(self):
        content, outputs = self.run_cell('show(text_page([["ink"]], size: 16).image)\nplot([3, 1, 2])')
        self.assertEqual(content["status"], "ok")
        self.assertEqual([m["msg_type"] for m in outputs], ["display_data", "display_data"])
        self.assertEqual(sorted(outputs[0]["content"]["data"]), ["image/png", "text/plain"])
        self.assertEqual(sorted(outputs[1]["content"]["data"]), ["image/png", "image/svg+xml", "text/plain"])
        self.assertEqual(os.listdir(self.display_dir), [])

    def test_input_asks_the_client(self):
        asked = []

        def answer(msg):
            asked.append(msg["content"])
            self.kc.input("Ada")

        content, outputs = self.run_cell('let name = input("name? ")\n"hello " + name', allow_stdin=True, stdin_hook=answer)
        self.assertEqual(content["status"], "ok")
        self.assertEqual(len(asked), 1)
        printed = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertEqual(printed, "name? ")
        self.assertEqual(outputs[-1]["content"]["data"]["text/plain"], '"hello Ada"')

    def test_complete_and_inspect(self):
        self.run_cell("let learning_rate = 0.1")
        reply = self.kc.complete("learning_r", reply=True, timeout=10)["content"]
        self.assertEqual(reply["matches"], ["learning_rate"])
        self.assertEqual((reply["cursor_start"], reply["cursor_end"]), (0, 10))
        help_text = self.kc.inspect("print", 2, reply=True, timeout=10)["content"]["data"]["text/plain"]
        self.assertIn("print", help_text)
        self.assertFalse(self.kc.inspect("no_such_name", 3, reply=True, timeout=10)["content"]["found"])

    def test_restart_starts_a_fresh_session(self):
        self.run_cell("let before = 1")
        self.km.restart_kernel()
        self.kc.wait_for_ready(timeout=30)
        content, _ = self.run_cell("before")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["execution_count"], 1)

    def test_shutdown_ends_the_process(self):
        pid = self.km.provisioner.process.pid
        reply = self.kc.shutdown(reply=True, timeout=10)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(self.km.provisioner.process.wait(timeout=10), 0)
        with self.assertRaises(ProcessLookupError):
            os.kill(pid, 0)
