"""Loads the towers that `cargo run --release --example export_check -- OUT` exported into
torchvision's ResNets and Hugging Face's BertModel with strict=True, runs the same inputs, and
compares with the outputs convirt-rs computed. Prints one JSON line per model; exits 1 on a
mismatch. Run with the reference venv: .venv-ref/bin/python tools/check_export.py OUT

torchvision's BatchNorm also has a `num_batches_tracked` buffer, a step counter that only matters
when momentum is None; burn has no such buffer, so it is added here as 0 before the strict load.
"""
import json, os, sys
import torch, torchvision
from safetensors.torch import load_file
from transformers import BertConfig, BertModel

out = sys.argv[1]
ok = True
for arch in ("resnet18", "resnet50"):
    path = os.path.join(out, arch + ".safetensors")
    if not os.path.exists(path):
        continue
    state = load_file(path)
    model = getattr(torchvision.models, arch)(weights=None)
    model.fc = torch.nn.Identity()
    for name, buf in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            state[name] = torch.zeros_like(buf)
    model.load_state_dict(state, strict=True)
    model.eval()
    io = load_file(os.path.join(out, arch + "_io.safetensors"))
    with torch.no_grad():
        y = model(io["x"])
    rel = ((y - io["features"]).abs().max() / io["features"].abs().max()).item()
    ok &= rel <= 1e-4
    print(json.dumps({"what": "export", "model": arch, "strict": True, "max_rel_err": rel}))

config = BertConfig.from_json_file(os.path.join(out, "config.json"))
bert = BertModel(config, add_pooling_layer=False)
bert.load_state_dict(load_file(os.path.join(out, "bert.safetensors")), strict=True)
bert.eval()
io = load_file(os.path.join(out, "bert_io.safetensors"))
with torch.no_grad():
    h = bert(input_ids=io["input_ids"], attention_mask=io["attention_mask"]).last_hidden_state
h = h.masked_fill(io["attention_mask"].unsqueeze(-1) == 0, float("-inf")).max(dim=1).values
err = (h - io["max_pooled"]).abs().max().item()
ok &= err <= 1e-3
print(json.dumps({"what": "export", "model": "bert", "strict": True, "max_abs_err": err}))
sys.exit(0 if ok else 1)
