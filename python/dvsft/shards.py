"""The manifest of a DVS shard export and its samples through `webdataset`."""

import hashlib
import json
import os

import webdataset as wds

FORMAT = "dvs-dvsft-webdataset"


class Manifest:
    """A `.manifest.json` written by DVS: shard files, tokenizer identity,
    grid settings and label rule. `shards` are full paths (next to the manifest)."""

    def __init__(self, path):
        self.path = path
        with open(path, encoding="utf-8") as f:
            self.data = json.load(f)
        if self.data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a DVS shard manifest (format {self.data.get('format')!r}, expected {FORMAT!r})")
        if self.data.get("format_version") != 1:
            raise ValueError(f"{path}: format_version {self.data.get('format_version')} is not supported (this reader knows 1)")
        folder = os.path.dirname(os.path.abspath(path))
        self.shards = [os.path.join(folder, s["file"]) for s in self.data["shards"]]
        self.index = os.path.join(folder, self.data["index"])
        self.grid = self.data["grid"]
        self.labels = self.data["labels"]
        self.tokenizer = self.data["tokenizer"]

    @property
    def samples(self):
        return self.data["samples"]

    def index_lines(self):
        """The JSONL index: one dict per sample (shard, key, offset, size, image_tokens, labelled, source)."""
        with open(self.index, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def check_tokenizer(self, tokenizer_path):
        """Raises if the file is not the tokenizer the labels were made with."""
        want = self.tokenizer.get("sha256")
        with open(tokenizer_path, "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if want is not None and got != want:
            raise ValueError(f"{tokenizer_path} has SHA-256 {got}, but the shards were labelled with "
                             f"{self.tokenizer.get('file')} ({want}): labels would be wrong token ids")


def samples(manifest, shuffle=False, **kwargs):
    """The samples of every shard as dicts {"__key__", "json", "png" (a PIL image)}
    through `webdataset.WebDataset` (keyword arguments go to it; use
    `wds.split_by_node`/`split_by_worker` there for multi-GPU jobs)."""
    kwargs.setdefault("shardshuffle", 100 if shuffle else False)
    kwargs.setdefault("empty_check", False)
    return wds.WebDataset(manifest.shards, **kwargs).decode("pil")
