#!/usr/bin/env python3
"""End to end: DVS label shards → dvsft collator → a tiny Qwen2-VL → loss.

Run by scripts/interop (not by scripts/test: it needs PyTorch). DVS draws and
exports 64 pages; the collator reads the shards through webdataset and a torch
DataLoader; a randomly initialised Qwen2VLForConditionalGeneration built from a
small config (no download) runs forward and backward with DV-SFT labels and
with SFT labels. Checks: the loss is finite, every parameter that gets a
gradient gets a finite one, the labelled positions are the answer tokens plus
exactly the labelled <|image_pad|> positions (DV-SFT) or the answer tokens
alone (SFT), and Hugging Face's loss equals the shifted cross-entropy computed
here (so image-pad labels are predicted from the position before them).

    python Tests/interop/qwen2vl_train_check.py DVS [--keep DIR]
"""
import json, os, sys, time

import torch
import torch.nn.functional as F
import transformers
from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration

from shard_setup import run_dvs, start
import dvsft  # noqa: E402  (python/, put on the path by shard_setup)

PAGES = 64
IMAGE_PAD, VISION_START, VIDEO_PAD = 151655, 151652, 151656

DVS_SCRIPT = r"""
let folder = args()[0]
let tok = tokenizer(args()[1])
let words = ["direct", "vision", "supervision", "labels", "tokens", "Qwen2-VL", "image", "page", "word", "grid", "2024", "DV-SFT"]
let examples = range(64).map(fn(i) {
    let lines = range(2).map(fn(l) { range(3).map(fn(k) { words[(i * 5 + l * 7 + k * 3) % len(words)] }) })
    let p = text_page(lines, width: 308 + 28 * (i % 3), height: 84, size: 16, seed: i)
    {image: p.image.invert(), words: p, question: "Read the text in the image.", answer: lines.map(fn(l) { join(l, " ") }) |> join("\n"), source: "page{i}"}
})
let r = export_shards(examples, "{folder}/train-%06d.tar", tok, per_shard: 16)
write_text("{folder}/result.json", to_json(r))
"""


def tiny_model(vocab):
    text = dict(vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, max_position_embeddings=4096,
                rope_scaling={"type": "mrope", "rope_type": "default", "mrope_section": [2, 3, 3]})
    vision = dict(depth=1, embed_dim=32, hidden_size=64, num_heads=2, mlp_ratio=2, patch_size=14, spatial_merge_size=2,
                  temporal_patch_size=2, in_channels=3)
    config = Qwen2VLConfig(text_config=text, vision_config=vision, image_token_id=IMAGE_PAD, video_token_id=VIDEO_PAD,
                           vision_start_token_id=VISION_START, vocab_size=vocab, hidden_size=64)
    torch.manual_seed(0)
    return Qwen2VLForConditionalGeneration(config).float()


def main():
    options, folder, tokenizer = start("dvs-interop-")
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")

    began = time.time()
    run_dvs(options.dvs, DVS_SCRIPT, folder, tokenizer)
    result = json.load(open(os.path.join(folder, "result.json")))
    manifest = dvsft.Manifest(result["manifest"])
    print(f"DVS exported {result['samples']} pages into {len(result['shards'])} shards in {time.time() - began:.1f} s")

    model = tiny_model(vocab=151936)
    print(f"tiny Qwen2VLForConditionalGeneration: {sum(p.numel() for p in model.parameters()):,} parameters, random weights")
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    collators = {mode: dvsft.DVSFTCollator(manifest, tokenizer, mode=mode, return_tensors="pt") for mode in ("dvsft", "sft")}
    loader = torch.utils.data.DataLoader(dvsft.samples(manifest), batch_size=8,
                                         collate_fn=lambda samples: {m: c(samples) for m, c in collators.items()})
    totals = {m: [0.0, 0, 0] for m in collators}  # loss sum, image-pad labels, answer labels
    for number, both in enumerate(loader, 1):
        sft_labelled = both["sft"]["labels"] != -100
        for mode, batch in both.items():
            model.zero_grad()
            out = model(**batch)
            out.loss.backward()
            ids, labels = batch["input_ids"], batch["labels"]
            pads, labelled = ids == IMAGE_PAD, labels != -100
            check(torch.isfinite(out.loss).item(), f"{mode} batch {number}: loss {out.loss.item():.4f} is finite")
            grads = [p.grad for p in model.parameters() if p.grad is not None]
            check(len(grads) > 0 and all(torch.isfinite(g).all().item() for g in grads),
                  f"{mode} batch {number}: {len(grads)} parameter gradients, all finite")
            n = int(pads.sum())
            check(n * 4 == int(batch["pixel_values"].shape[0]) == int(batch["image_grid_thw"].prod(-1).sum()),
                  f"{mode} batch {number}: {n} <|image_pad|> tokens = pixel_values rows / 4 = Σ t·h·w / 4")
            extra = labelled & ~sft_labelled   # what this mode labels beyond SFT's answer tokens
            if mode == "dvsft":
                check(bool((extra == (pads & labelled)).all()) and int(extra.sum()) > 0 and bool((sft_labelled <= labelled).all()),
                      f"dvsft batch {number}: labelled = SFT's answer tokens + {int(extra.sum())} positions, exactly the labelled <|image_pad|> positions")
            else:
                check(int((labelled & pads).sum()) == 0, f"sft batch {number}: no <|image_pad|> position labelled")
            # Hugging Face's causal-LM loss = cross-entropy of logits[t] against labels[t + 1].
            logits = out.logits[:, :-1].float()
            manual = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
            check(abs(manual.item() - out.loss.item()) < 1e-4, f"{mode} batch {number}: loss = shifted cross-entropy ({manual.item():.4f})")
            t = totals[mode]
            t[0] += out.loss.item()
            t[1] += int((labelled & pads).sum())
            t[2] += int((labelled & ~pads).sum())
    for mode, (loss, image, answer) in totals.items():
        print(f"{mode}: {number} batches of 8, mean loss {loss / number:.4f}, {image} image-pad labels, {answer} answer labels")
    print(f"interop: {'all checks passed' if not failures else f'{len(failures)} checks failed'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
