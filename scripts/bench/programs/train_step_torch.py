"""PyTorch reference for scripts/bench/train_step: the same `tiny` architecture
(DESIGN.md §8) in eager mode, timed the same way. Run by scripts/bench/train_step
when torch is importable."""
import statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)


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


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed, self.vpos = nn.Linear(196, 64), nn.Parameter(torch.randn(64, 64) * 0.02)
        self.vblocks = nn.ModuleList(Block(64, 4, 256, False) for _ in range(2))
        self.fc1, self.fc2 = nn.Linear(256, 128), nn.Linear(128, 128)
        self.tok, self.pos = nn.Embedding(512, 128), nn.Parameter(torch.randn(48, 128) * 0.02)
        self.blocks = nn.ModuleList(Block(128, 4, 512, True) for _ in range(4))
        self.ln, self.head = nn.LayerNorm(128), nn.Linear(128, 512)
        order = [(r * 2 + dy) * 16 + c * 2 + dx for r in range(2) for c in range(8) for dy in range(2) for dx in range(2)]
        self.register_buffer("order", torch.tensor(order))

    def forward(self, patches, ids):
        h = self.embed(patches) + self.vpos
        for blk in self.vblocks:
            h = blk(h)
        v = self.fc2(F.gelu(self.fc1(h[:, self.order].reshape(h.shape[0], 16, 256)), approximate="tanh"))
        t = self.tok(ids)
        x = torch.cat([t[:, :1], v, t[:, 17:]], 1) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


model = Tiny()
assert sum(p.numel() for p in model.parameters()) == 1097152
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
patches = torch.rand(32, 64, 196)
ids = torch.tensor([[(i * 7 + j * 3) % 512 for j in range(48)] for i in range(32)])
text_mask = torch.cat([torch.zeros(32, 30), torch.ones(32, 17)], 1)
vision_mask = torch.cat([torch.zeros(32, 1), torch.ones(32, 16), torch.zeros(32, 30)], 1)


def step():
    opt.zero_grad()
    logits = model(patches, ids)[:, :47]
    ce = F.cross_entropy(logits.reshape(-1, 512), ids[:, 1:].reshape(-1), reduction="none").view(32, 47)
    loss = (ce * text_mask).sum() / text_mask.sum() + (ce * vision_mask).sum() / vision_mask.sum()
    loss.backward()
    opt.step()


step(); step()
times = []
for _ in range(15):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
print("ms_per_step", statistics.median(times) * 1000)
