"""Notebooks with DVS cells: nbclient runs one on the kernel (a chart, a drawn
page with its label overlay, an autograd graph, a failing cell), and `dvs
notebook` writes and reads .ipynb files; every notebook validates with nbformat."""
import os
import subprocess
import tempfile
import unittest

import nbformat
from nbclient import NotebookClient

DVS = os.environ["DVS"]

CELLS = [
    ("markdown", "# DVS in Jupyter\nA chart, a labelled page and a computation graph."),
    ("code", 'let losses = [2.0, 1.2, 0.8, 0.5, 0.4]\nplot(losses, title: "loss")'),
    ("code", 'let lines = [["direct", "vision"], ["supervision"]]\n'
             "let page = text_page(lines, size: 16, seed: 1)\n"
             "let grid = patch_grid(page.image)\n"
             "let tok = word_tokenizer([\"direct\", \"vision\", \"supervision\"])\n"
             "let labels = dvsft_labels(grid, page.boxes, tok)\n"
             "show(overlay(page.image, grid, labels, boxes: page.boxes))\n"
             'print("labelled tokens:", len(labels.ids.filter(fn(i) { i != -100 })))'),
    ("code", 'let w = param(ones([3, 2]), "w")\nlet loss = scope("text") { (ones([4, 3]) @ w).sum() }\nbackward(loss)\ngraph(loss)'),
    ("code", "1 / 0"),
    ("code", "losses.len"),
]


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "dvs", "display_name": "DVS", "language": "dvs"}
    nb.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
                for kind, text in cells]
    return nb


def bundle_keys(cell):
    """(output_type, sorted MIME types) of each output, streams and errors by type only."""
    return [(o.output_type, sorted(o.get("data", {}))) for o in cell.outputs]


class NotebookTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="dvs-notebooks-")
        cls.executed = notebook(CELLS)
        NotebookClient(cls.executed, kernel_name="dvs", allow_errors=True, timeout=120,
                       resources={"metadata": {"path": cls.folder}}).execute()

    def test_nbclient_runs_the_cells_and_the_result_validates(self):
        nb = self.executed
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        self.assertEqual([c.execution_count for c in code], [1, 2, 3, 4, 5])
        self.assertEqual(bundle_keys(code[0]), [("display_data", ["image/png", "image/svg+xml", "text/plain"])])
        self.assertEqual(bundle_keys(code[1]), [("display_data", ["image/png", "text/plain"]), ("stream", [])])
        self.assertIn("labelled tokens:", code[1].outputs[1].text)
        self.assertEqual(bundle_keys(code[2]), [("display_data", ["image/png", "image/svg+xml", "text/plain"])])
        self.assertIn("<svg", code[2].outputs[0].data["image/svg+xml"])
        self.assertEqual(code[3].outputs[0].output_type, "error")
        self.assertEqual(code[3].outputs[0].ename, "Error")
        self.assertIn("division by zero", code[3].outputs[0].evalue)
        self.assertEqual(code[4].outputs[0].data["text/plain"], "5", "the cell after the error ran")

    def test_dvs_notebook_writes_the_same_outputs_as_the_kernel(self):
        script = os.path.join(self.folder, "study.dvs")
        with open(script, "w") as f:
            for kind, text in CELLS:
                body = "\n".join("# " + line for line in text.split("\n")) if kind == "markdown" else text
                f.write(("# %% [markdown]\n" if kind == "markdown" else "# %%\n") + body + "\n\n")
        out = os.path.join(self.folder, "study.ipynb")
        run = subprocess.run([DVS, "notebook", script, "--ipynb", out, "--allow-errors"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1, run.stderr)  # a cell failed, and the file is written all the same
        written = nbformat.read(out, as_version=4)
        nbformat.validate(written)
        self.assertEqual(written.nbformat, 4)
        self.assertEqual(written.nbformat_minor, 5)
        self.assertEqual(len({c.id for c in written.cells}), len(written.cells))
        self.assertEqual(written.metadata.kernelspec.name, "dvs")
        self.assertEqual([c.cell_type for c in written.cells], [k for k, _ in CELLS])
        self.assertEqual(written.cells[0].source, CELLS[0][1])
        for ran, wrote in zip(self.executed.cells, written.cells):
            self.assertEqual(wrote.source, ran.source)
            if ran.cell_type == "code":
                self.assertEqual(wrote.execution_count, ran.execution_count)
                self.assertEqual(bundle_keys(wrote), bundle_keys(ran))
                for a, b in zip(wrote.outputs, ran.outputs):
                    if "text/plain" in a.get("data", {}):
                        self.assertEqual(a.data["text/plain"], b.data["text/plain"])

    def test_dvs_notebook_runs_an_ipynb_into_a_page(self):
        path = os.path.join(self.folder, "clean.ipynb")
        nbformat.write(notebook([c for c in CELLS if c[1] != "1 / 0"]), path)
        page = os.path.join(self.folder, "clean.html")
        run = subprocess.run([DVS, "notebook", path, "-o", page], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        with open(page) as f:
            html = f.read()
        self.assertEqual(html.count('<figure class="dvs-figure"'), 3)
        self.assertIn("labelled tokens:", html)

    def test_dvs_notebook_refuses_an_ipynb_of_another_kernel(self):
        path = os.path.join(self.folder, "python.ipynb")
        nb = notebook([("code", "1 + 1")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, path)
        run = subprocess.run([DVS, "notebook", path], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("'python3' kernel, not DVS", run.stderr)
