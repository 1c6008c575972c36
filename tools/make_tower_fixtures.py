"""Makes the DenseNet and ViT parity fixtures: torchvision's own DenseNet and VisionTransformer
classes (random init, with randomised BatchNorm statistics and affine parameters), an input and
their eval-mode pooled features. Run with the reference venv (scripts/setup-torch-venv.sh):

    .venv-ref/bin/python tools/make_tower_fixtures.py OUT_DIR [--full]

Writes, per model NAME: NAME.safetensors and NAME.pth (the state dict under torchvision's names,
classifier and head included), NAME_io.safetensors (input `x` [N, C, H, W], `features` [N, F])
and NAME.json (the tower's settings, for the Rust side). The default makes small models, committed
in crates/convirt-encoders/tests/fixtures/towers/; --full makes torchvision's densenet121 and
vit_b_16 at 224² (tools/compare_full_towers.sh).

The `*_resized` ViT fixtures hold the state dict of a model for one image size and the features
torchvision computes at another, after its own `interpolate_embeddings`: they check that the
position embeddings are resampled as torchvision does.
"""
import json, os, sys
import torch, torch.nn as nn
import torchvision
from torchvision.models.densenet import DenseNet
from torchvision.models.vision_transformer import VisionTransformer, interpolate_embeddings
from safetensors.torch import save_file

from make_resnet_fixtures import randomise_bn, save_fixture


def randomise(model, g):
    """Non-trivial BatchNorm running statistics and norm affine parameters."""
    randomise_bn(model, g)
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            m.weight.data.copy_(torch.rand(m.normalized_shape, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.normalized_shape, generator=g) * 0.1)
    for name, p in model.named_parameters():
        # torchvision leaves biases, the class token and the heads at zero: give them values.
        if name.endswith("bias") or name == "class_token" or "in_proj" in name:
            p.data.add_(torch.randn(p.shape, generator=g) * 0.02)


def densenet_features(model, x):
    f = model.features(x)
    return torch.flatten(nn.functional.adaptive_avg_pool2d(nn.functional.relu(f), 1), 1)


def vit_features(model, x, pooling):
    x = model._process_input(x)
    n = x.shape[0]
    x = torch.cat([model.class_token.expand(n, -1, -1), x], dim=1)
    x = model.encoder(x)
    return x[:, 0] if pooling == "cls" else x[:, 1:].mean(dim=1)


def densenet(out, name, g, growth, blocks, init, in_ch, size, n=2, classes=1000):
    m = DenseNet(growth_rate=growth, block_config=tuple(blocks), num_init_features=init,
                 num_classes=classes)
    if in_ch != 3:
        m.features.conv0 = nn.Conv2d(in_ch, init, 7, 2, 3, bias=False)
    randomise(m, g)
    m.eval()
    x = torch.randn(n, in_ch, size, size, generator=g)
    with torch.no_grad():
        y = densenet_features(m, x)
    meta = {"family": "densenet", "growth_rate": growth, "block_config": blocks,
            "num_init_features": init, "bn_size": 4, "in_channels": in_ch}
    save_fixture(out, name, m.state_dict(), x, y, meta)


def vit(out, name, g, size, patch, layers, heads, hidden, mlp, in_ch, pooling, eval_size=None, n=2,
        classes=1000):
    m = VisionTransformer(image_size=size, patch_size=patch, num_layers=layers, num_heads=heads,
                          hidden_dim=hidden, mlp_dim=mlp, num_classes=classes)
    if in_ch != 3:
        m.conv_proj = nn.Conv2d(in_ch, hidden, patch, patch)
    randomise(m, g)
    m.eval()
    state = m.state_dict()
    eval_size = eval_size or size
    x = torch.randn(n, in_ch, eval_size, eval_size, generator=g)
    if eval_size != size:
        # torchvision's own resampling, into a model built for the evaluation size.
        resized = interpolate_embeddings(eval_size, patch, state)
        m = VisionTransformer(image_size=eval_size, patch_size=patch, num_layers=layers,
                              num_heads=heads, hidden_dim=hidden, mlp_dim=mlp, num_classes=classes)
        if in_ch != 3:
            m.conv_proj = nn.Conv2d(in_ch, hidden, patch, patch)
        m.load_state_dict(resized)
        m.eval()
    with torch.no_grad():
        y = vit_features(m, x, pooling)
    meta = {"family": "vit", "image_size": size, "eval_size": eval_size, "patch_size": patch,
            "num_layers": layers, "num_heads": heads, "hidden_dim": hidden, "mlp_dim": mlp,
            "in_channels": in_ch, "pooling": pooling}
    save_fixture(out, name, state, x, y, meta)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    if "--full" in sys.argv:
        densenet(out, "densenet121", g, 32, [6, 12, 24, 16], 64, 3, 224)
        vit(out, "vit_b_16", g, 224, 16, 12, 12, 768, 3072, 3, "cls")
        vit(out, "vit_b_16_at_64", g, 224, 16, 12, 12, 768, 3072, 3, "cls", eval_size=64)
    else:
        # Ten classes: the classifier is there (reported unused on load) but small to commit.
        densenet(out, "densenet_g4", g, 4, [1, 2, 1, 1], 8, 3, 40, classes=10)
        densenet(out, "densenet_g4_gray", g, 4, [2, 1, 1, 2], 8, 1, 36, classes=10)
        vit(out, "vit_p8", g, 32, 8, 2, 2, 16, 32, 3, "cls", classes=10)
        vit(out, "vit_p8_gray_mean", g, 32, 8, 2, 4, 16, 24, 1, "mean", classes=10)
        vit(out, "vit_p8_resized", g, 32, 8, 2, 2, 16, 32, 3, "cls", eval_size=48, classes=10)


if __name__ == "__main__":
    main()
