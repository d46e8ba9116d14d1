#!/usr/bin/env python3
"""Tokenizer parity: DVS's `tokenizer(file).encode(line)` against the `tokenizers`
package (PyPI) on generated lines — identical ids and offsets (code points), and
identical decoded text.

Tokenizers checked, all made at test time (Tests/tokenizers/fixtures.py):
  qwen2          Qwen2's 151,643-rank vocabulary from the qwen-agent wheel, Qwen2's
                 pre-tokenizer (NFC, Split on Qwen's regex, ByteLevel) and its
                 special tokens (hand-written regex matcher in DVS)
  qwen2-regex    the same with the regex spelled differently (`[\\p{N}]`), so DVS
                 runs it on Swift's Regex instead of the hand-written matcher
  qwen2-gpt2     the same vocabulary behind GPT-2's pre-tokenizer (ByteLevel with
                 its regex and a prefix space, trimmed offsets)
  small-bpe      a byte-level BPE trained here (added tokens with lstrip, rstrip,
                 single_word, normalized)
  wordpiece      a BERT WordPiece trained here, as tokenizer.json and as vocab.txt

    python3 Tests/tokenizers/parity.py path/to/dvs [--lines N] [--cache DIR]

Exit status 0 when everything agrees. Prints `tokenizer parity: N of M passed`.
"""
import argparse, copy, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fixtures  # noqa: E402


def dvs_encode(dvs, tokenizer_path, lines, work):
    lines_path = os.path.join(work, "lines.json")
    out_path = os.path.join(work, "out.json")
    with open(lines_path, "w", encoding="utf-8") as f:
        json.dump(lines, f, ensure_ascii=False)
    run = subprocess.run([dvs, "run", os.path.join(HERE, "encode_lines.dvs"), tokenizer_path, lines_path, out_path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"dvs failed on {tokenizer_path}:\n{run.stderr[-2000:]}")
    with open(out_path, encoding="utf-8") as f:
        return json.load(f)


def compare(name, dvs, tokenizer_path, reference, lines, work):
    """Number of lines that differ (prints the first few differences)."""
    got = dvs_encode(dvs, tokenizer_path, lines, work)
    bad = 0
    if got["vocab_size"] != reference.get_vocab_size():
        print(f"  {name}: vocab_size {got['vocab_size']} != {reference.get_vocab_size()}")
        bad += 1
    for line, mine in zip(lines, got["lines"]):
        e = reference.encode(line, add_special_tokens=False)
        offsets = [list(o) for o in e.offsets]
        decoded = reference.decode(e.ids, skip_special_tokens=False)
        if mine["ids"] != e.ids or mine["offsets"] != offsets or mine["decoded"] != decoded:
            bad += 1
            if bad <= 3:
                print(f"  {name}: line {line!r}")
                print(f"    tokens    {e.tokens}")
                if mine["ids"] != e.ids:
                    print(f"    ids  dvs  {mine['ids']}\n         ref  {e.ids}")
                if mine["offsets"] != offsets:
                    print(f"    offsets dvs {mine['offsets']}\n            ref {offsets}")
                if mine["decoded"] != decoded:
                    print(f"    decoded dvs {mine['decoded']!r}\n            ref {decoded!r}")
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dvs")
    parser.add_argument("--lines", type=int, default=6000)
    parser.add_argument("--cache", default=os.environ.get("DVS_TEST_CACHE", fixtures.DEFAULT_CACHE))
    args = parser.parse_args()
    from tokenizers import Tokenizer, BertWordPieceTokenizer

    work = tempfile.mkdtemp(prefix="dvs-tokenizer-parity-")
    specials = fixtures.QWEN2_SPECIALS + fixtures.QWEN2_ADDED
    lines = fixtures.corpus(args.lines, seed=13, specials=specials)
    cases = []  # (name, tokenizer path for DVS, reference Tokenizer, lines)

    qwen_path = fixtures.qwen2_tokenizer(args.cache)
    cases.append(("qwen2", qwen_path, Tokenizer.from_file(qwen_path), lines))
    with open(qwen_path, encoding="utf-8") as f:
        qwen = json.load(f)
    variant = copy.deepcopy(qwen)
    variant["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = fixtures.QWEN2_PATTERN.replace(r"|\p{N}|", r"|[\p{N}]|")
    cases.append(("qwen2-regex", variant, None, lines[: len(lines) // 3]))
    variant = copy.deepcopy(qwen)
    variant["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    variant["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
    cases.append(("qwen2-gpt2", variant, None, lines[: len(lines) // 3]))

    small_lines = fixtures.corpus(args.lines // 3, seed=14, specials=["[MASK]", "word", "café", "<s>", "</s>"])
    small = fixtures.small_bpe(work, fixtures.corpus(3000, seed=15))
    cases.append(("small-bpe", small, Tokenizer.from_file(small), small_lines))

    bert = BertWordPieceTokenizer()
    bert.train_from_iterator(fixtures.corpus(3000, seed=16), vocab_size=1500, show_progress=False)
    bert_json = os.path.join(work, "bert.json")
    bert.save(bert_json)
    bert_vocab = bert.save_model(work)[0]
    bert_lines = fixtures.corpus(args.lines // 3, seed=17, specials=["[MASK]", "[SEP]"])
    cases.append(("wordpiece", bert_json, Tokenizer.from_file(bert_json), bert_lines))
    cases.append(("wordpiece-vocab.txt", bert_vocab, Tokenizer.from_file(bert_json), bert_lines))

    total = failed = 0
    for name, source, reference, case_lines in cases:
        if isinstance(source, dict):
            path = os.path.join(work, name + ".json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(source, f, ensure_ascii=False)
            source, reference = path, Tokenizer.from_str(json.dumps(source))
        bad = compare(name, args.dvs, source, reference, case_lines, work)
        print(f"{name}: {len(case_lines) - bad} of {len(case_lines)} lines agree")
        total += 1
        failed += bad > 0
    print(f"tokenizer parity: {total - failed} of {total} passed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
