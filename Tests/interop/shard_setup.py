"""What the label-shard checks share: the command line, a work folder, Qwen2's
tokenizer.json (Tests/tokenizers/fixtures.py) and running a DVS script."""
import argparse, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "tokenizers"))
import fixtures  # noqa: E402


def start(prefix):
    """(options with .dvs and .keep, the work folder, the tokenizer path)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("dvs")
    parser.add_argument("--keep", help="folder to keep the files in")
    options = parser.parse_args()
    folder = options.keep or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(folder, exist_ok=True)
    return options, folder, fixtures.qwen2_tokenizer(fixtures.DEFAULT_CACHE)


def run_dvs(dvs, script, folder, tokenizer):
    """Runs DVS code as `dvs run script.dvs FOLDER TOKENIZER`."""
    path = os.path.join(folder, "script.dvs")
    with open(path, "w") as f:
        f.write(script)
    subprocess.run([dvs, "run", path, folder, tokenizer], check=True)
