"""The reference's `train` step (tools/reference/torch_ref.py, a copy of the shared PyTorch
reference) on a GPU, for scripts/gpu-check.sh: same model (torchvision ResNet, BERT with the
embeddings and --frozen layers frozen, max pooling, Linear-ReLU-Linear heads), same loss and Adam,
a fixed random batch, CUDA-synchronised timings. --text-shape minilm builds a random BERT of
all-MiniLM-L6-v2's shape (the real weights are too large to carry). Prints one JSON line."""
import argparse, json, os, sys, time
import torch, torch.nn as nn, torchvision
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch.nn.functional as F
from torch_ref import Head

def convirt_loss(v, u, tau=0.1, lam=0.75):
    # torch_ref.convirt_loss, with the labels on the logits' device.
    v = F.normalize(v, dim=1); u = F.normalize(u, dim=1)
    logits = v @ u.t() / tau
    labels = torch.arange(v.shape[0], device=v.device)
    return lam * F.cross_entropy(logits, labels) + (1 - lam) * F.cross_entropy(logits.t(), labels)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet18"); p.add_argument("--text-shape", default="minilm")
    p.add_argument("--frozen", type=int, default=3); p.add_argument("--batch", type=int, default=32)
    p.add_argument("--size", type=int, default=224); p.add_argument("--seq", type=int, default=64)
    p.add_argument("--steps", type=int, default=10); p.add_argument("--warmup", type=int, default=8)
    a = p.parse_args()
    from transformers import BertModel, BertConfig
    dev = torch.device("cuda")
    torch.manual_seed(0)
    img = getattr(torchvision.models, a.arch)(weights=None)
    feat = img.fc.in_features; img.fc = nn.Identity()
    cfg = BertConfig() if a.text_shape == "base" else BertConfig(
        hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536)
    txt = BertModel(cfg, add_pooling_layer=False)
    for q in txt.embeddings.parameters(): q.requires_grad = False
    for layer in txt.encoder.layer[:a.frozen]:
        for q in layer.parameters(): q.requires_grad = False
    hid = cfg.hidden_size
    gv, gu = Head(feat, 2048 if feat == 2048 else feat, 512), Head(hid, hid, 512)
    mods = [m.to(dev).train() for m in (img, txt, gv, gu)]
    params = [q for m in mods for q in m.parameters() if q.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-4, weight_decay=1e-6)
    x = torch.randn(a.batch, 3, a.size, a.size, device=dev)
    ids = torch.randint(1000, 20000, (a.batch, a.seq), device=dev); mask = torch.ones_like(ids)
    def step():
        h = txt(input_ids=ids, attention_mask=mask).last_hidden_state
        h = h.masked_fill(mask.unsqueeze(-1) == 0, -1e4).max(dim=1).values
        loss = convirt_loss(gv(img(x)), gu(h))
        opt.zero_grad(); loss.backward(); opt.step(); return loss
    for _ in range(a.warmup): step()
    torch.cuda.synchronize(); t = []
    for _ in range(a.steps):
        s = time.perf_counter(); step().item(); torch.cuda.synchronize(); t.append(time.perf_counter() - s)
    t.sort(); med = t[len(t) // 2]
    print(json.dumps({"what": "train_step", "impl": "pytorch", "device": torch.cuda.get_device_name(0),
                      "torch": torch.__version__, "arch": a.arch, "bert": "random-" + a.text_shape,
                      "batch": a.batch, "size": a.size, "seq": a.seq, "frozen": a.frozen,
                      "median_s": round(med, 5), "pairs_per_s": round(a.batch / med, 2)}))

if __name__ == "__main__":
    main()
