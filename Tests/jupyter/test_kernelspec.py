"""`dvs kernel install` and `uninstall`: where the kernelspec goes, what it
holds, and that Jupyter's own lookup finds it."""
import json
import os
import subprocess
import tempfile
import unittest

from jupyter_client.kernelspec import KernelSpecManager

DVS = os.environ["DVS"]


def dvs(*arguments, **env):
    return subprocess.run([DVS, "kernel", *arguments], capture_output=True, text=True,
                          env={**os.environ, **env})


class KernelspecTests(unittest.TestCase):
    def test_install_under_a_prefix_and_uninstall(self):
        prefix = tempfile.mkdtemp(prefix="dvs-kernelspec-")
        folder = os.path.join(prefix, "share", "jupyter", "kernels", "dvs")
        self.assertEqual(dvs("install", "--prefix", prefix).returncode, 0)
        self.assertEqual(sorted(os.listdir(folder)), ["kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"])
        with open(os.path.join(folder, "kernel.json")) as f:
            spec = json.load(f)
        self.assertEqual(spec["argv"][1:], ["kernel", "-f", "{connection_file}"])
        self.assertTrue(os.path.samefile(spec["argv"][0], DVS))
        self.assertEqual((spec["display_name"], spec["language"], spec["interrupt_mode"]), ("DVS", "dvs", "signal"))
        found = KernelSpecManager(kernel_dirs=[os.path.dirname(folder)]).find_kernel_specs()
        self.assertEqual(found, {"dvs": folder})
        with open(os.path.join(folder, "logo-64x64.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        removed = dvs("uninstall", "--prefix", prefix)
        self.assertEqual(removed.returncode, 0)
        self.assertFalse(os.path.exists(folder))
        self.assertIn("no DVS kernelspec", dvs("uninstall", "--prefix", prefix).stdout)

    def test_user_install_goes_to_the_jupyter_data_folder(self):
        data = tempfile.mkdtemp(prefix="dvs-jupyter-data-")
        self.assertEqual(dvs("install", "--user", JUPYTER_DATA_DIR=data).returncode, 0)
        self.assertTrue(os.path.isfile(os.path.join(data, "kernels", "dvs", "kernel.json")))

    def test_user_and_prefix_together_are_refused(self):
        run = dvs("install", "--user", "--prefix", "/tmp")
        self.assertEqual(run.returncode, 2)
        self.assertIn("--user or --prefix, not both", run.stderr)

    def test_a_bad_connection_file_is_named(self):
        path = os.path.join(tempfile.mkdtemp(), "connection.json")
        with open(path, "w") as f:
            json.dump({"shell_port": 1, "key": "k", "signature_scheme": "hmac-md5"}, f)
        run = dvs("-f", path)
        self.assertEqual(run.returncode, 2)
        self.assertIn("signature_scheme 'hmac-md5' is not supported", run.stderr)
