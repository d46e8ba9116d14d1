"""PyTorch reference for scripts/bench/train_step: the architecture of
stdlib/mllm.dvs (DESIGN.md §8) built from a configuration record's numbers, in
eager mode, timed and laid out the same way as train_step.dvs (batch 32, full
sequence, forward + DV-SFT loss + backward + AdamW). Prints its parameter count
and the median ms per step. Run by scripts/bench/train_step, which passes the
configuration as JSON (printed by mllm_config.dvs, so both sides use the same
numbers):

    train_step_torch.py THREADS CONFIG_JSON [TIMED_STEPS]
"""
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]))
cfg = json.loads(sys.argv[2])
timed = int(sys.argv[3]) if len(sys.argv) > 3 else 15


class Block(nn.Module):
    def __init__(self, width, heads, hidden, causal):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.up, self.down = nn.Linear(width, hidden), nn.Linear(hidden, width)
        self.heads, self.causal = heads, causal

    def forward(self, x):
        b, t, d = x.shape
        h = self.ln1(x)
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        a = F.scaled_dot_product_attention(split(self.q(h)), split(self.k(h)), split(self.v(h)), is_causal=self.causal)
        x = x + self.o(a.transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh"))


class MLLM(nn.Module):
    """stdlib/mllm.dvs's mllm_init/mllm_forward for a configuration record."""

    def __init__(self, c):
        super().__init__()
        vw, w, merged = c["vision_width"], c["width"], c["vision_width"] * c["merge"] ** 2
        self.visual_tokens = c["visual_tokens"]
        self.embed, self.vpos = nn.Linear(c["patch_values"], vw), nn.Parameter(torch.randn(c["patches"], vw) * 0.02)
        self.vblocks = nn.ModuleList(Block(vw, c["vision_heads"], c["vision_hidden"], False) for _ in range(c["vision_blocks"]))
        self.fc1, self.fc2 = nn.Linear(merged, w), nn.Linear(w, w)
        self.tok, self.pos = nn.Embedding(c["vocab"], w), nn.Parameter(torch.randn(c["max_len"], w) * 0.02)
        self.blocks = nn.ModuleList(Block(w, c["heads"], c["hidden"], True) for _ in range(c["blocks"]))
        self.ln, self.head = nn.LayerNorm(w), nn.Linear(w, c["vocab"])
        m, cols = c["merge"], c["image_width"] // c["patch"]
        rows = c["image_height"] // c["patch"]
        order = [(r * m + dy) * cols + cc * m + dx
                 for r in range(rows // m) for cc in range(cols // m) for dy in range(m) for dx in range(m)]
        self.register_buffer("order", torch.tensor(order))

    def forward(self, patches, ids):
        h = self.embed(patches) + self.vpos
        for blk in self.vblocks:
            h = blk(h)
        v = self.fc2(F.gelu(self.fc1(h[:, self.order].reshape(h.shape[0], self.visual_tokens, -1)), approximate="tanh"))
        t = self.tok(ids)
        x = torch.cat([t[:, :1], v, t[:, self.visual_tokens + 1:]], 1) + self.pos[: ids.shape[1]]
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


# The same data and layout as train_step.dvs: [BOS], the visual tokens, then text
# whose last 17/30 (integer part) is the answer.
b, t, v, vocab = 32, cfg["max_len"], cfg["visual_tokens"], cfg["vocab"]
n = t - 1
answer = (n - 1 - v) * 17 // 30
model = MLLM(cfg)
print("parameters", sum(p.numel() for p in model.parameters()))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
patches = torch.rand(b, cfg["patches"], cfg["patch_values"])
ids = torch.tensor([[(i * 7 + j * 3) % vocab for j in range(t)] for i in range(b)])
target = ids[:, 1:]
text_mask = torch.cat([torch.zeros(b, n - answer), torch.ones(b, answer)], 1)
vision_mask = torch.cat([torch.zeros(b, 1), torch.ones(b, v), torch.zeros(b, n - 1 - v)], 1)
text_count, vision_count = text_mask.sum(), vision_mask.sum()


def step():
    opt.zero_grad()
    logits = model(patches, ids)[:, :n]
    ce = F.cross_entropy(logits.reshape(-1, vocab), target.reshape(-1), reduction="none").view(b, n)
    loss = (ce * text_mask).sum() / text_count + (ce * vision_mask).sum() / vision_count
    loss.backward()
    opt.step()


step(); step()
times = []
for _ in range(timed):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
print("ms_per_step", statistics.median(times) * 1000)
