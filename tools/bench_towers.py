"""PyTorch side of examples/bench_towers.rs (run both with tools/side_by_side.sh towers): same flags, same JSON keys.
   .venv-ref/bin/python tools/bench_towers.py --model resnet50 --mode train --batch 8 --size 224
"""
import argparse, json, time
import torch, torchvision
from transformers import BertConfig, BertModel

p = argparse.ArgumentParser()
p.add_argument("--model", required=True); p.add_argument("--mode", default="infer")
p.add_argument("--batch", type=int, default=8); p.add_argument("--size", type=int, default=224)
p.add_argument("--seq", type=int, default=64); p.add_argument("--bert-config")
p.add_argument("--steps", type=int, default=3)
a = p.parse_args()
torch.manual_seed(0)
train = a.mode == "train"
if a.model.startswith("resnet"):
    m = getattr(torchvision.models, a.model)(weights=None); m.fc = torch.nn.Identity()
    x = torch.randn(a.batch, 3, a.size, a.size)
    run = lambda: m(x).sum()
else:
    m = BertModel(BertConfig.from_json_file(a.bert_config), add_pooling_layer=False)
    ids = torch.randint(1000, 20000, (a.batch, a.seq)); mask = torch.ones_like(ids)
    run = lambda: m(input_ids=ids, attention_mask=mask).last_hidden_state.max(dim=1).values.sum()
m.train(train)
def step():
    if train:
        m.zero_grad(); y = run(); y.backward()
    else:
        with torch.no_grad(): run()
step()
t = []
for _ in range(max(a.steps, 1)):
    s = time.perf_counter(); step(); t.append(time.perf_counter() - s)
t.sort(); med = t[len(t) // 2]
print(json.dumps({"what": "towers", "impl": f"pytorch-{torch.__version__}", "model": a.model, "mode": a.mode,
                  "batch": a.batch, "size": a.size, "seq": a.seq, "median_s": med, "items_per_s": a.batch / med}))
