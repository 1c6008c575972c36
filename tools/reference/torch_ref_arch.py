"""`torch_ref.py train` for any torchvision image tower: ResNets as torch_ref.py builds them, and
DenseNet (`classifier`) and ViT (`heads`, built for `--size`), whose classifiers torch_ref.py's
`build` does not know. Everything else (the step, Adam, the timing, the JSON line) is torch_ref.py's
own, imported from ../shared/reference/ (or $CONVIRT_TORCH_REF).

    .venv-ref/bin/python tools/reference/torch_ref_arch.py train --arch densenet121 --size 224 ...
"""
import argparse, importlib.util, os
import torch.nn as nn
import torchvision

here = os.path.dirname(os.path.abspath(__file__))
path = os.environ.get("CONVIRT_TORCH_REF", os.path.join(here, "../../../shared/reference/torch_ref.py"))
spec = importlib.util.spec_from_file_location("torch_ref", path)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
resnet_build = ref.build


def build(arch, bert_dir, frozen_layers, size=224):
    if arch.startswith("resnet"):
        return resnet_build(arch, bert_dir, frozen_layers)
    if arch.startswith("densenet"):
        img = getattr(torchvision.models, arch)(weights=None)
        feat = img.classifier.in_features
        img.classifier = nn.Identity()
    elif arch.startswith("vit"):
        img = getattr(torchvision.models, arch)(weights=None, image_size=size)
        feat = img.hidden_dim
        img.heads = nn.Identity()
    else:
        raise SystemExit(f"unknown --arch {arch}")
    # torch_ref.py's BERT and heads, around this image tower.
    _, txt, _, gu = resnet_build("resnet18", bert_dir, frozen_layers)
    return img, txt, ref.Head(feat, feat, 512), gu


if __name__ == "__main__":
    # torch_ref.py's `train` flags.
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["train"])
    p.add_argument("--arch", default="resnet50"); p.add_argument("--text-model", dest="bert", default="")
    p.add_argument("--frozen", type=int, default=3)
    p.add_argument("--batch", type=int, default=32); p.add_argument("--size", type=int, default=224)
    p.add_argument("--seq", type=int, default=64); p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    a = p.parse_args()
    ref.build = lambda arch, bert, frozen: build(arch, bert, frozen, a.size)
    ref.train_bench(a)
