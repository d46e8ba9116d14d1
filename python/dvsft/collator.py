"""Batches of DVS shard samples in Qwen2-VL's input format, with DV-SFT labels.

Sequence (Qwen2-VL's chat template; the default system prompt is the one the
template adds when a conversation has none):

    <|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n
    <|im_start|>user\\n<|vision_start|><|image_pad|> × N<|vision_end|>{question}<|im_end|>\\n
    <|im_start|>assistant\\n{answer}<|im_end|>\\n

N is the sample's image-token count (grid t·h·w / 4). Labels: every assistant
turn's tokens and its `<|im_end|>` (SFT's targets); in "dvsft" mode also the
`<|image_pad|>` positions, which carry the sample's DV-SFT labels (the word's
token id, -100 where no word) in the model's image-token order. Hugging Face's
causal-LM loss shifts labels by one, so the logit at the position before each
image pad predicts that pad's word: DV-SFT's next-token objective with no
change to the model. In "sft" mode the image pads are -100.

pixel_values are recomputed from the stored PNG by transformers' own Qwen2-VL
image processor (PIL backend, no torch needed) with the manifest's
min_pixels/max_pixels. The PNG is already at the size `smart_resize` picks, so
the processor's resize keeps it as it is; the collator checks that its
image_grid_thw equals the sample's.
"""

import numpy as np
from tokenizers import Tokenizer

IGNORE = -100
DEFAULT_SYSTEM = "You are a helpful assistant."


def image_processor(manifest):
    """transformers' Qwen2-VL image processor with the manifest's settings."""
    try:
        from transformers import Qwen2VLImageProcessorPil as Processor
    except ImportError:  # transformers 4: the slow processor is the PIL/NumPy one
        from transformers import Qwen2VLImageProcessor as Processor
    g = manifest.grid
    return Processor(min_pixels=g["min_pixels"], max_pixels=g["max_pixels"], patch_size=g["patch_size"],
                     merge_size=g["merge_size"], temporal_patch_size=g["temporal_patch_size"],
                     image_mean=g["image_mean"], image_std=g["image_std"])


def chat_segments(conversation, image_tokens, system=DEFAULT_SYSTEM):
    """The sequence as (kind, text) segments: kind "text" (not a target),
    "target" (an assistant turn and its end marker) or "image" (the image-pad run,
    text = None). The image goes before the first user turn's text."""
    segments = []
    turns = list(conversation)
    if system is not None and (not turns or turns[0]["role"] != "system"):
        turns.insert(0, {"role": "system", "content": system})
    image_placed = False
    for turn in turns:
        role, content = turn["role"], turn["content"]
        segments.append(("text", f"<|im_start|>{role}\n"))
        if role == "user" and not image_placed:
            segments.append(("text", "<|vision_start|>"))
            segments.append(("image", None))
            segments.append(("text", "<|vision_end|>"))
            image_placed = True
        if role == "assistant":
            segments.append(("target", content + "<|im_end|>"))
            segments.append(("text", "\n"))
        else:
            segments.append(("text", content + "<|im_end|>\n"))
    if not image_placed:
        raise ValueError("the conversation has no user turn to put the image in")
    return segments


class DVSFTCollator:
    """Turns a list of samples (dicts with "json" and "png", as `dvsft.samples`
    yields them) into a batch: input_ids, attention_mask, labels (B × L, right
    padded), mm_token_type_ids (B × L: 1 at image pads, as transformers 5's
    processor gives it), pixel_values (Σ patches × 1176) and image_grid_thw (B × 3).

    mode: "dvsft" (image pads carry the DV-SFT labels) or "sft" (they are -100).
    max_length: sequences longer are cut after the image span (the end of the
    text goes; a cut that would fall inside the image span, or before it, is an
    error naming the sample: cutting image tokens breaks the model's
    image-token count check). return_tensors: "np" or "pt".
    """

    def __init__(self, manifest, tokenizer_path, mode="dvsft", max_length=None, system=DEFAULT_SYSTEM,
                 return_tensors="np", processor=None):
        if mode not in ("dvsft", "sft"):
            raise ValueError(f"mode must be 'dvsft' or 'sft', got {mode!r}")
        if return_tensors not in ("np", "pt"):
            raise ValueError(f"return_tensors must be 'np' or 'pt', got {return_tensors!r}")
        manifest.check_tokenizer(tokenizer_path)
        self.manifest, self.mode, self.max_length, self.system = manifest, mode, max_length, system
        self.return_tensors = return_tensors
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.processor = processor or image_processor(manifest)
        self.merge = manifest.grid["merge_size"]

        def special(name):
            i = self.tokenizer.token_to_id(name)
            if i is None:
                raise ValueError(f"{tokenizer_path} has no {name} token (a Qwen2-VL tokenizer is needed)")
            want = manifest.tokenizer["vision_tokens"].get(name)
            if want is not None and want != i:
                raise ValueError(f"{name} is {i} in {tokenizer_path} but {want} in the manifest")
            return i

        self.image_pad = special("<|image_pad|>")
        self.vision_start = special("<|vision_start|>")
        self.vision_end = special("<|vision_end|>")
        self.pad_id = special("<|endoftext|>")

    def encode(self, text):
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def sequence(self, sample):
        """(input_ids, labels) of one sample, unpadded."""
        meta = sample["json"]
        t, h, w = meta["grid_thw"]
        n = t * h * w // (self.merge * self.merge)
        key = meta.get("key", sample.get("__key__"))
        if n != meta["image_tokens"] or n != len(meta["labels"]):
            raise ValueError(f"sample {key}: grid_thw {meta['grid_thw']} gives {n} image tokens, but the sample has "
                             f"image_tokens {meta['image_tokens']} and {len(meta['labels'])} labels")
        ids, labels = [], []
        image_start = image_end = None
        for kind, text in chat_segments(meta["conversation"], n, self.system):
            if kind == "image":
                image_start = len(ids)
                ids += [self.image_pad] * n
                labels += list(meta["labels"]) if self.mode == "dvsft" else [IGNORE] * n
                image_end = len(ids)
            else:
                piece = self.encode(text)
                ids += piece
                labels += piece if kind == "target" else [IGNORE] * len(piece)
        if self.max_length is not None and len(ids) > self.max_length:
            if self.max_length <= image_end:
                raise ValueError(f"sample {key}: max_length {self.max_length} would cut its image span (tokens "
                                 f"{image_start}…{image_end - 1} of {len(ids)}); raise max_length or lower max_pixels")
            ids, labels = ids[:self.max_length], labels[:self.max_length]
        if ids.count(self.image_pad) != n:
            raise ValueError(f"sample {key}: {ids.count(self.image_pad)} <|image_pad|> tokens, but its grid has {n} "
                             "(does the text contain <|image_pad|>?)")
        return ids, labels

    def pixels(self, sample):
        """pixel_values and grid_thw of one sample from transformers' processor."""
        meta = sample["json"]
        image = sample["png"]
        if list(image.size) != meta["image"]["resized_size"]:
            raise ValueError(f"sample {meta['key']}: the PNG is {image.size[0]}×{image.size[1]}, the JSON says "
                             f"resized_size {meta['image']['resized_size']}")
        out = self.processor(images=image.convert("RGB"), return_tensors="np")
        thw = [int(v) for v in out["image_grid_thw"][0]]
        if thw != meta["grid_thw"]:
            raise ValueError(f"sample {meta['key']}: the processor gives grid_thw {thw}, the sample {meta['grid_thw']} "
                             "(different min_pixels/max_pixels?)")
        return np.asarray(out["pixel_values"], dtype=np.float32), thw

    def __call__(self, batch):
        seqs = [self.sequence(s) for s in batch]
        pixels = [self.pixels(s) for s in batch]
        length = max(len(ids) for ids, _ in seqs)
        input_ids = np.full((len(batch), length), self.pad_id, dtype=np.int64)
        labels = np.full((len(batch), length), IGNORE, dtype=np.int64)
        attention = np.zeros((len(batch), length), dtype=np.int64)
        for row, (ids, labs) in enumerate(seqs):
            input_ids[row, :len(ids)] = ids
            labels[row, :len(labs)] = labs
            attention[row, :len(ids)] = 1
        out = {
            "input_ids": input_ids,
            "attention_mask": attention,
            "labels": labels,
            # transformers 5's processors return it and Qwen2-VL's M-RoPE needs it: 1 at image tokens, 0 at text.
            "mm_token_type_ids": (input_ids == self.image_pad).astype(np.int64),
            "pixel_values": np.concatenate([p for p, _ in pixels], axis=0),
            "image_grid_thw": np.array([thw for _, thw in pixels], dtype=np.int64),
        }
        if self.return_tensors == "pt":
            import torch
            out = {k: torch.from_numpy(v) for k, v in out.items()}
        return out
