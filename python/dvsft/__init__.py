"""Read DVS's DV-SFT label shards and collate them for Qwen2-VL training.

DVS (`export_shards`, `dvs label`) writes WebDataset shards: per sample
`<key>.png` (the page already resized by Qwen2-VL's `smart_resize` rule) and
`<key>.json` (sizes, grid_thw, conversation, one DV-SFT label per image token,
words and boxes), plus a JSONL index and a manifest (docs/INTEROP.md,
"Label shards").

    from dvsft import Manifest, samples, DVSFTCollator
    manifest = Manifest("out/train-000000-000063.manifest.json")
    collate = DVSFTCollator(manifest, "tokenizer.json", mode="dvsft")
    batch = collate(list(samples(manifest))[:8])        # numpy arrays
    # torch: DVSFTCollator(..., return_tensors="pt"), or a DataLoader over
    # samples(manifest) with collate_fn=collate.
"""

from .shards import Manifest, samples
from .collator import DVSFTCollator, chat_segments

__all__ = ["Manifest", "samples", "DVSFTCollator", "chat_segments"]
