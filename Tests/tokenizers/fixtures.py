"""Tokenizer fixtures made at test time (nothing here is committed data).

- `qwen2_tokenizer(cache)`: a Qwen2 `tokenizer.json` converted from the
  `qwen.tiktoken` rank file that the `qwen-agent` wheel (PyPI, Apache-2.0)
  ships: 151,643 byte-level BPE ranks, merges rebuilt from the ranks the
  standard way (as transformers' tiktoken converter does), Qwen2's
  pre-tokenizer (NFC, Split on Qwen's regex, ByteLevel without prefix space)
  and Qwen2-VL's special tokens. The wheel and the result are cached in
  `cache` (default ~/.cache/dvs-tests), so only the first run downloads.
- `small_bpe(folder, texts)`: a small byte-level BPE trained with the
  `tokenizers` package on generated text (GPT-2's ByteLevel pre-tokenizer
  with its built-in regex, prefix space, trimmed offsets, and a few added
  tokens with lstrip/rstrip/single_word/normalized set).
- `corpus(n, seed)`: generated lines mixing words, case, digits,
  punctuation, spacing (tabs, newlines, runs of spaces, \r\n), non-ASCII
  scripts, emoji, decomposed accents and special tokens.

    python3 Tests/tokenizers/fixtures.py qwen2 [--cache DIR]   prints the path of Qwen2's tokenizer.json
"""
import base64, glob, hashlib, json, os, random, subprocess, sys, zipfile

DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "dvs-tests")

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# Qwen2-VL's special tokens, from id 151643 on (its tokenizer_config.json).
QWEN2_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
                  "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>",
                  "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"]
# Qwen2.5's tool-call markers: added tokens that are not special.
QWEN2_ADDED = ["<tool_call>", "</tool_call>"]
# Bump when the conversion changes, so cached files are rebuilt.
VERSION = "1"


def bytes_to_unicode():
    """GPT-2's byte → printable character table (the ByteLevel alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def qwen_tiktoken(cache):
    """The bytes of qwen.tiktoken from the qwen-agent wheel (downloaded once)."""
    os.makedirs(cache, exist_ok=True)
    wheels = sorted(glob.glob(os.path.join(cache, "qwen_agent-*.whl")))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", cache, "qwen-agent"],
                       check=True)
        wheels = sorted(glob.glob(os.path.join(cache, "qwen_agent-*.whl")))
    with zipfile.ZipFile(wheels[-1]) as z:
        names = [n for n in z.namelist() if n.endswith("qwen.tiktoken")]
        if not names:
            sys.exit(f"{wheels[-1]} no longer ships qwen.tiktoken")
        return z.read(names[0])


def merges_from_ranks(ranks):
    """BPE merges from tiktoken ranks: each multi-byte token is the merge of
    the two parts that BPE with only lower ranks leaves (transformers' way)."""
    merges = []
    for token, rank in ranks.items():
        if len(token) == 1:
            continue
        parts = [bytes([b]) for b in token]
        while True:
            best = None
            for i in range(len(parts) - 1):
                r = ranks.get(parts[i] + parts[i + 1])
                if r is not None and r < rank and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                break
            i = best[1]
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        assert len(parts) == 2, (token, parts)
        merges.append((rank, parts[0], parts[1]))
    merges.sort()
    return [(a, b) for _, a, b in merges]


def qwen2_tokenizer(cache=DEFAULT_CACHE):
    """Path of the Qwen2 tokenizer.json (built once, then read from the cache)."""
    path = os.path.join(cache, f"qwen2-v{VERSION}", "tokenizer.json")
    if os.path.exists(path):
        return path
    ranks = {}
    for line in qwen_tiktoken(cache).splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    assert len(ranks) == 151643, len(ranks)
    table = bytes_to_unicode()
    text = lambda b: "".join(table[x] for x in b)
    vocab = {text(t): r for t, r in ranks.items()}
    added = [{"id": 151643 + i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": c in QWEN2_SPECIALS}
             for i, c in enumerate(QWEN2_SPECIALS + QWEN2_ADDED)]
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    doc = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": QWEN2_PATTERN}, "behavior": "Isolated", "invert": False},
            byte_level]},
        "post_processor": byte_level,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [[text(a), text(b)] for a, b in merges_from_ranks(ranks)]},
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    os.replace(path + ".tmp", path)
    return path


WORDS = ("the a of to and in is for on with as by at from that this it be are was DV-SFT DVS vision token "
         "tokenizer label labels word words box boxes grid patch merge model Qwen2-VL image images page pages "
         "text line lines OCR GPU BPE don't it's we'll they're I'm you've she'd HELLO World CamelCase snake_case "
         "e-mail http://example.com/a?b=1 user@example.org C++ x86_64 3.14 1,000,000 2024-06-01 v1.2.3 #tag $5 "
         "50% (parens) [brackets] {braces} «quotes» \"dq\" 'sq' ... -- — – …").split()
UNICODE = ("café naïve résumé Zürich Ærøskøbing smörgåsbord São Paulo Ελληνικά Русский язык "
           "日本語のテキスト 中文分词测试 한국어 문장 العربية עברית हिन्दी ไทย Tiếng Việt "
           "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉 👍🏽 👨‍👩‍👧 ½ ² ℃ ① Ⅻ ﬁ").split()
DECOMPOSED = ["cafe\u0301", "nai\u0308ve", "Zu\u0308rich", "\u1100\u1161\u11a8", "A\u030a", "o\u0302\u0323"]
SPACES = [" ", " ", " ", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u00a0", "\u3000", "\u2009"]


def corpus(n, seed, specials=()):
    """n generated lines (each may hold newlines and special tokens)."""
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 14)):
            r = rnd.random()
            if r < 0.55:
                w = rnd.choice(WORDS)
            elif r < 0.7:
                w = rnd.choice(UNICODE)
            elif r < 0.75:
                w = rnd.choice(DECOMPOSED)
            elif r < 0.85:
                w = str(rnd.choice([rnd.randint(0, 9), rnd.randint(0, 99999), rnd.randint(0, 10 ** 12)]))
            elif r < 0.92 and specials:
                w = rnd.choice(specials)
            else:
                w = "".join(rnd.choice("!?.,;:'\"-_/\\|@#$%^&*()[]{}<>=+~`") for _ in range(rnd.randint(1, 4)))
            if rnd.random() < 0.2:
                w = w.upper() if rnd.random() < 0.5 else w.capitalize()
            parts.append(w)
            parts.append(rnd.choice(SPACES) if rnd.random() < 0.8 else "")
        if rnd.random() < 0.3:
            parts.insert(0, rnd.choice(SPACES))
        lines.append("".join(parts))
    return lines


def small_bpe(folder, texts):
    """Trains a small byte-level BPE with `tokenizers`; returns its tokenizer.json path."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=2000, special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    tok.add_tokens([AddedToken("[MASK]", lstrip=True, rstrip=True, normalized=False),
                    AddedToken("word", single_word=True, normalized=True),
                    AddedToken("café", normalized=True)])
    path = os.path.join(folder, "small_bpe.json")
    tok.save(path)
    return path


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "qwen2":
        cache = sys.argv[sys.argv.index("--cache") + 1] if "--cache" in sys.argv else DEFAULT_CACHE
        print(qwen2_tokenizer(cache))
    else:
        sys.exit(__doc__)
