#!/usr/bin/env python3
"""DVS's label shards read back by Python: tarfile, webdataset, the index, the
manifest, and the dvsft collator (numpy; no torch).

Usage:  python3 Tests/interop/shards_test.py DVS [--keep DIR]

DVS draws pages of several sizes (one with two lines, one with an empty
answer…), labels them with a Qwen2 tokenizer.json (Tests/tokenizers/fixtures.py,
made from the qwen-agent wheel) and exports them with export_shards; it also
writes, per page, qwen2vl_grid's pixel_values and dvsft_labels' ids for the same
settings. Each check below is one test; the last line is
`shards: N of M passed`. Exit status 0 when all pass.
"""

import hashlib, io, json, os, shutil, signal, subprocess, sys, tarfile, traceback

import numpy as np
import webdataset as wds
from PIL import Image
from safetensors.numpy import load_file

from shard_setup import run_dvs, start
import dvsft  # noqa: E402  (python/, put on the path by shard_setup)

PAGES = 7
PER_SHARD = 3

DVS_SCRIPT = r"""
let folder = args()[0]
let tok = tokenizer(args()[1])
let lines = [[["DV-SFT", "labels", "2024"], ["naïve", "café", "(x+y)"]], [["Hello,", "World!"]], [["tokens", "per", "word"]],
             [["one"]], [["Qwen2-VL", "grid", "28×28"], ["second", "line"], ["third"]], [["ÉCOLE", "école"]], [["3.14159", "e-mail"]]]
var examples = []
var expected = []
for i in range(len(lines)) {
    let p = text_page(lines[i], width: 180 + 37 * i, height: 40 + 22 * len(lines[i]), seed: i)
    let img = p.image.invert()
    let answer = lines[i].map(fn(l) { join(l, " ") }) |> join("\n")
    let ex = if i == 3 { {image: img, words: p, conversation: [{role: "system", content: "Read."}, {role: "user", content: "What is written?"}, {role: "assistant", content: answer}], source: "page{i}"} }
             else { {image: img, words: p, question: "Read the text in the image.", answer: answer, source: "page{i}"} }
    push(examples, ex)
    let g = qwen2vl_grid(img, min_pixels: 3136, max_pixels: 200704)
    save({pixel_values: g.pixel_values}, "{folder}/page{i}.safetensors")
    push(expected, {grid_thw: g.grid_thw, labels: dvsft_labels(g, p, tok).ids, resized_size: g.resized_size, words: p.boxes.map(fn(b) { b.text })})
}
write_text("{folder}/expected.json", to_json(expected))
let r = export_shards(examples, "{folder}/out/train-%06d.tar", tok, per_shard: 3, max_pixels: 200704)
write_text("{folder}/result.json", to_json(r))
"""

RESUME_SCRIPT = r"""
let folder = args()[0]
let tok = tokenizer(args()[1])
let pages = range(7).map(fn(i) { text_page([["again", "{i}"]], width: 120, height: 40) })
let examples = pages.map(fn(p) { {image: p.image.invert(), words: p, question: "q", answer: "a"} })
let r = export_shards(examples, "{folder}/out/train-%06d.tar", tok, per_shard: 3, max_pixels: 200704, resume: true)
write_text("{folder}/resume.json", to_json(r))
"""


DRAW_SCRIPT = r"""
let folder = args()[0]
let words = ["direct", "vision", "supervision", "labels", "tokens", "model", "image", "page"]
for i in range(7) {
    let lines = range(2).map(fn(l) { range(3).map(fn(k) { words[(i * 3 + l * 5 + k) % len(words)] }) })
    save(text_page(lines, width: 336, height: 84, size: 18, seed: i).image.invert(), "{folder}/pages/page-{i}.png")
}
"""


class Suite:
    def __init__(self):
        self.passed, self.failed = 0, []

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
            print(f"ok   {name}")
        except Exception:
            self.failed.append(name)
            print(f"FAIL {name}\n" + "".join("     " + l for l in traceback.format_exc().splitlines(True)))


def main():
    options, folder, tokenizer = start("dvs-shards-")
    run_dvs(options.dvs, DVS_SCRIPT, folder, tokenizer)
    result = json.load(open(os.path.join(folder, "result.json")))
    expected = json.load(open(os.path.join(folder, "expected.json")))
    manifest = dvsft.Manifest(result["manifest"])
    suite = Suite()

    def shard_names():
        assert [os.path.basename(s) for s in result["shards"]] == ["train-000000.tar", "train-000001.tar", "train-000002.tar"]
        assert result["samples"] == PAGES and result["skipped"] == 0
        assert os.path.basename(result["index"]) == "train-000000-000002.index.jsonl"
        assert os.path.basename(result["manifest"]) == "train-000000-000002.manifest.json"
        assert not [n for n in os.listdir(os.path.join(folder, "out")) if n.startswith(".")], "temporary files left"

    def tarfile_reads():
        keys = []
        for shard in result["shards"]:
            raw = open(shard, "rb").read()
            assert len(raw) % 512 == 0 and raw[-1024:] == bytes(1024), "ends with two zero blocks"
            with tarfile.open(shard) as t:
                members = t.getmembers()
                assert all(m.isfile() and m.mode == 0o644 and m.mtime == 0 for m in members)
                for m in members:
                    assert raw[m.offset + 257:m.offset + 265] == b"ustar\x0000", "POSIX ustar magic"
                names = [m.name for m in members]
                pairs = [names[i:i + 2] for i in range(0, len(names), 2)]
                for json_name, png_name in pairs:
                    key = json_name[:-len(".json")]
                    assert json_name == key + ".json" and png_name == key + ".png" and "." not in key
                    keys.append(key)
                    meta = json.load(t.extractfile(json_name))
                    assert meta["key"] == key and meta["image"]["file"] == png_name
                    Image.open(io.BytesIO(t.extractfile(png_name).read())).verify()
        assert keys == [f"{i // PER_SHARD:06d}-{i % PER_SHARD:06d}" for i in range(PAGES)], keys

    def webdataset_reads():
        got = list(wds.WebDataset(result["shards"], shardshuffle=False, empty_check=False).decode("pil"))
        assert len(got) == PAGES
        for i, s in enumerate(got):
            assert set(k for k in s if not k.startswith("__")) == {"json", "png"}, "every sample has the same extensions"
            assert s["png"].mode == "RGB" and list(s["png"].size) == expected[i]["resized_size"]
            assert s["json"]["source"] == f"page{i}"

    def index_points_at_samples():
        lines = manifest.index_lines()
        assert len(lines) == PAGES
        for i, line in enumerate(lines):
            raw = open(os.path.join(folder, "out", line["shard"]), "rb").read()
            first = tarfile.TarInfo.frombuf(raw[line["offset"]:line["offset"] + 512], "utf-8", "surrogateescape")
            assert first.name == line["key"] + ".json"
            sample = tarfile.open(fileobj=io.BytesIO(raw[line["offset"]:line["offset"] + line["size"]] + bytes(1024)))
            assert sample.getnames() == [line["key"] + ".json", line["key"] + ".png"]
            meta = json.load(sample.extractfile(line["key"] + ".json"))
            assert (line["image_tokens"], line["labelled"], line["source"]) == (meta["image_tokens"], meta["labelled"], f"page{i}")

    def manifest_contents():
        m = manifest.data
        assert m["dvs_version"] and m["samples"] == PAGES and m["per_shard"] == PER_SHARD and m["first_shard"] == 0
        assert [s["samples"] for s in m["shards"]] == [3, 3, 1] and m["extensions"] == ["json", "png"]
        assert m["tokenizer"]["sha256"] == hashlib.sha256(open(tokenizer, "rb").read()).hexdigest()
        assert m["tokenizer"]["file"] == "tokenizer.json" and m["tokenizer"]["vocab_size"] == 151659
        assert m["tokenizer"]["vision_tokens"] == {"<|vision_start|>": 151652, "<|image_pad|>": 151655, "<|vision_end|>": 151653}
        assert (m["grid"]["min_pixels"], m["grid"]["max_pixels"], m["grid"]["patch_size"], m["grid"]["merge_size"]) == (3136, 200704, 14, 2)
        assert m["grid"]["image_mean"] == [0.48145466, 0.4578275, 0.40821073]
        assert m["labels"] == {**m["labels"], "rule": "max_overlap", "subtoken": "first", "min_cover": 0.1, "ignore_index": -100}

    def sample_json_matches_dvs():
        for i, s in enumerate(dvsft.samples(manifest)):
            meta, want = s["json"], expected[i]
            assert meta["grid_thw"] == want["grid_thw"] and meta["labels"] == want["labels"]
            t, h, w = meta["grid_thw"]
            assert meta["image_tokens"] == t * h * w // 4 == len(meta["labels"])
            assert meta["labelled"] == sum(l != -100 for l in meta["labels"]) > 0
            assert [wd["text"] for wd in meta["words"]] == want["words"]
            sx, sy = meta["image"]["scale"]
            assert meta["image"]["resized_size"] == [round(meta["image"]["source_size"][0] * sx), round(meta["image"]["source_size"][1] * sy)]
            for wd in meta["words"]:
                x, y, bw, bh = wd["box"]
                assert np.allclose(wd["box_resized"], [x * sx, y * sy, bw * sx, bh * sy])
            for k, l in enumerate(meta["labels"]):
                assert (l == -100) == (meta["label_words"][k] == -1)

    collate = {}

    def collator_pixels_match_dvs():
        collate["dvsft"] = dvsft.DVSFTCollator(manifest, tokenizer, mode="dvsft")
        for i, s in enumerate(dvsft.samples(manifest)):
            values, thw = collate["dvsft"].pixels(s)
            ours = load_file(os.path.join(folder, f"page{i}.safetensors"))["pixel_values"]
            assert values.shape == ours.shape and np.max(np.abs(values - ours)) <= 1e-5, np.max(np.abs(values - ours))

    def collator_shapes_and_labels():
        got = list(dvsft.samples(manifest))
        sft = dvsft.DVSFTCollator(manifest, tokenizer, mode="sft")
        b, bs = collate["dvsft"](got), sft(got)
        n = [s["json"]["image_tokens"] for s in got]
        B, L = b["input_ids"].shape
        assert B == PAGES and b["labels"].shape == (B, L) and b["attention_mask"].shape == (B, L)
        assert b["pixel_values"].shape == (4 * sum(n), 1176) and b["image_grid_thw"].tolist() == [s["json"]["grid_thw"] for s in got]
        assert (b["input_ids"] == bs["input_ids"]).all() and (b["pixel_values"] == bs["pixel_values"]).all()
        tok = collate["dvsft"].tokenizer
        for row, s in enumerate(got):
            ids, labels, sft_labels = b["input_ids"][row], b["labels"][row], bs["labels"][row]
            pads = np.flatnonzero(ids == 151655)
            assert len(pads) == n[row] and (np.diff(pads) == 1).all(), "one contiguous image-pad run"
            assert ids[pads[0] - 1] == 151652 and ids[pads[-1] + 1] == 151653
            assert labels[pads].tolist() == s["json"]["labels"] and (sft_labels[pads] == -100).all()
            text = np.ones(L, bool)
            text[pads] = False
            assert (labels[text] == sft_labels[text]).all(), "text labels are the same in both modes"
            answer = [t for t in s["json"]["conversation"] if t["role"] == "assistant"][0]["content"]
            assert tok.decode([int(x) for x in sft_labels if x != -100], skip_special_tokens=False) == answer + "<|im_end|>"
            real = int(b["attention_mask"][row].sum())
            assert (labels[real:] == -100).all() and (ids[real:] == 151643).all()
        # DV-SFT's labelled positions: the answer tokens plus exactly the labelled image pads.
        assert int((b["labels"] != -100).sum() - (bs["labels"] != -100).sum()) == sum(s["json"]["labelled"] for s in got)

    def collator_chat_template():
        s = next(iter(dvsft.samples(manifest)))
        ids = collate["dvsft"].sequence(s)[0]
        n = s["json"]["image_tokens"]
        text = collate["dvsft"].tokenizer.decode(ids, skip_special_tokens=False)
        want = ("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|>"
                + "<|image_pad|>" * n + "<|vision_end|>Read the text in the image.<|im_end|>\n<|im_start|>assistant\n"
                + s["json"]["conversation"][1]["content"] + "<|im_end|>\n")
        assert text == want, text
        four = [x for x in dvsft.samples(manifest)][3]
        text = collate["dvsft"].tokenizer.decode(collate["dvsft"].sequence(four)[0], skip_special_tokens=False)
        assert text.startswith("<|im_start|>system\nRead.<|im_end|>\n<|im_start|>user\n<|vision_start|>"), "own system turn kept"

    def collator_never_cuts_an_image():
        s = next(iter(dvsft.samples(manifest)))
        full = collate["dvsft"].sequence(s)[0]
        end = full.index(151653)
        cut = dvsft.DVSFTCollator(manifest, tokenizer, max_length=end + 3)
        ids, labels = cut.sequence(s)
        assert len(ids) == end + 3 and ids.count(151655) == s["json"]["image_tokens"]
        for max_length in (end, end - 5, 4):
            try:
                dvsft.DVSFTCollator(manifest, tokenizer, max_length=max_length).sequence(s)
            except ValueError as e:
                assert "cut its image span" in str(e)
            else:
                raise AssertionError(f"max_length {max_length} cut the image span")

    def collator_refuses_wrong_tokenizer():
        other = os.path.join(folder, "other-tokenizer.json")
        data = json.load(open(tokenizer))
        with open(other, "w") as f:
            json.dump(data, f, indent=1)
        try:
            dvsft.DVSFTCollator(manifest, other)
        except ValueError as e:
            assert "SHA-256" in str(e)
        else:
            raise AssertionError("a different tokenizer file was accepted")

    def resume_keeps_existing_shards():
        before = {s: open(s, "rb").read() for s in result["shards"]}
        os.remove(result["shards"][1])
        run_dvs(options.dvs, RESUME_SCRIPT, folder, tokenizer)
        r = json.load(open(os.path.join(folder, "resume.json")))
        assert r["skipped"] == 2 and r["samples"] == PAGES
        assert open(result["shards"][0], "rb").read() == before[result["shards"][0]], "a finished shard is not rewritten"
        with tarfile.open(result["shards"][1]) as t:
            assert json.load(t.extractfile("000001-000000.json"))["conversation"][0]["content"] == "q", "the missing shard is made"
        assert len(dvsft.Manifest(r["manifest"]).index_lines()) == PAGES

    def label_command():
        os.makedirs(os.path.join(folder, "pages"), exist_ok=True)
        run_dvs(options.dvs, DRAW_SCRIPT, folder, tokenizer)
        def label(out, *extra, env=None):
            return subprocess.run([options.dvs, "label", os.path.join(folder, "pages"), "--tokenizer", tokenizer, "-o",
                                   os.path.join(folder, out, "t-%03d.tar"), "--per-shard", "3", "--psm", "6", *extra],
                                  check=True, capture_output=True, text=True, env=env).stdout
        first = label("label")
        assert "label: 7 pages in 3 shards (0 kept" in first, first
        m = dvsft.Manifest(os.path.join(folder, "label", "t-000-002.manifest.json"))
        got = list(dvsft.samples(m))
        assert [s["json"]["source"] for s in got] == [f"page-{i}.png" for i in range(7)]
        answers = [s["json"]["conversation"][1]["content"] for s in got]
        assert sum(a.split() == [w["text"] for w in s["json"]["words"] if w["level"] == "word"] for a, s in zip(answers, got)) == 7
        assert sum(s["json"]["labelled"] > 0 for s in got) == 7
        # An interrupted run leaves whole shards only; running again keeps them and makes the rest.
        shards = [os.path.join(folder, "label", f"t-00{k}.tar") for k in range(3)]
        before = open(shards[0], "rb").read()
        os.remove(shards[2])
        again = label("label")
        assert "(2 kept from an earlier run)" in again and open(shards[0], "rb").read() == before and os.path.exists(shards[2])
        # Two parts label disjoint shard ranges with the same bytes as one run.
        label("parts", "--part", "0/2")
        label("parts", "--part", "1/2")
        names = sorted(os.listdir(os.path.join(folder, "parts")))
        assert names == ["t-000-000.index.jsonl", "t-000-000.manifest.json", "t-000.tar", "t-001-002.index.jsonl",
                         "t-001-002.manifest.json", "t-001.tar", "t-002.tar"], names
        for k in range(3):
            assert open(os.path.join(folder, "parts", f"t-00{k}.tar"), "rb").read() == open(shards[k], "rb").read()
        # Pages go through worker threads: one thread or three give the same bytes as the default (one per core).
        for threads in ["1", "3"]:
            label(f"threads-{threads}", env=dict(os.environ, DVS_THREADS=threads))
            for name in ["t-000.tar", "t-001.tar", "t-002.tar", "t-000-002.index.jsonl"]:
                with open(os.path.join(folder, f"threads-{threads}", name), "rb") as got, open(os.path.join(folder, "label", name), "rb") as want:
                    assert got.read() == want.read(), f"{name} differs with DVS_THREADS={threads}"

    def label_interrupted():
        # 60 pages in 20 shards; Ctrl-C once the first shard is reported. Whether the
        # signal lands before the end or not, only whole shards are on disk, and a
        # second run completes the shards with the bytes of an uninterrupted run.
        many = os.path.join(folder, "many-pages")
        os.makedirs(many, exist_ok=True)
        for i in range(60):
            shutil.copy(os.path.join(folder, "pages", f"page-{i % 7}.png"), os.path.join(many, f"p{i:02d}.png"))
        command = [options.dvs, "label", many, "--tokenizer", tokenizer, "--per-shard", "3", "--psm", "6", "-o"]
        out = os.path.join(folder, "interrupted")
        run = subprocess.Popen(command + [os.path.join(out, "t-%03d.tar")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert run.stdout.readline().startswith("label: shard 1/20")
        run.send_signal(signal.SIGINT)
        rest, errors = run.communicate()
        if run.returncode != 0:
            assert run.returncode == 130 and "dvs label: interrupted" in errors, (run.returncode, errors)
        for name in os.listdir(out):
            assert name.endswith((".tar", ".jsonl", ".json")), f"{name} left behind"
            if name.endswith(".tar"):
                with tarfile.open(os.path.join(out, name)) as t:
                    assert len(t.getnames()) == 6, f"{name} is not whole"
        subprocess.run(command + [os.path.join(out, "t-%03d.tar")], check=True, capture_output=True)
        subprocess.run(command + [os.path.join(folder, "uninterrupted", "t-%03d.tar")], check=True, capture_output=True)
        for k in range(20):
            with open(os.path.join(out, f"t-{k:03d}.tar"), "rb") as a, open(os.path.join(folder, "uninterrupted", f"t-{k:03d}.tar"), "rb") as b:
                assert a.read() == b.read(), f"shard {k} differs after the interruption"

    for name, fn in [("shard names", shard_names), ("tarfile reads every shard", tarfile_reads),
                     ("webdataset reads every sample", webdataset_reads), ("index offsets point at samples", index_points_at_samples),
                     ("manifest contents", manifest_contents), ("sample JSON matches DVS", sample_json_matches_dvs),
                     ("collator pixel_values = DVS's (transformers' processor)", collator_pixels_match_dvs),
                     ("collator shapes and label positions", collator_shapes_and_labels),
                     ("collator chat template", collator_chat_template),
                     ("collator never cuts an image span", collator_never_cuts_an_image),
                     ("collator refuses another tokenizer", collator_refuses_wrong_tokenizer),
                     ("resume keeps finished shards", resume_keeps_existing_shards),
                     ("dvs label: OCR, resume, parts, threads", label_command),
                     ("dvs label: Ctrl-C leaves whole shards, the next run completes them", label_interrupted)]:
        suite.check(name, fn)
    total = suite.passed + len(suite.failed)
    print(f"shards: {suite.passed} of {total} passed")
    sys.exit(0 if not suite.failed else 1)


if __name__ == "__main__":
    main()
