"""Makes the ResNet parity fixtures: small torchvision-named ResNets, an input and their eval-mode
pooled features. Run with the reference venv (scripts/setup-torch-venv.sh):

    .venv-ref/bin/python tools/make_resnet_fixtures.py OUT_DIR [--full]

Writes, per model NAME: NAME.safetensors (the state dict, torchvision names, including
num_batches_tracked and fc), NAME.pth (the same, as torch.save), NAME_io.safetensors (input
`x` [N, C, H, W] and `features` [N, F]) and NAME.json (its shape, for the Rust side).
The default makes two narrow models small enough to commit (tests/fixtures/resnet/); --full makes
torchvision's own resnet18 and resnet50 (random init, no ImageNet weights here), too large to
commit, for tools/compare_full_resnets.sh.
"""
import json, os, sys
import torch, torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck
from safetensors.torch import save_file


class NarrowResNet(nn.Module):
    """torchvision's ResNet with a configurable stem width: identical module names."""

    def __init__(self, block, layers, width, in_ch):
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(in_ch, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make(block, width, layers[0], 1)
        self.layer2 = self._make(block, width * 2, layers[1], 2)
        self.layer3 = self._make(block, width * 4, layers[2], 2)
        self.layer4 = self._make(block, width * 8, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width * 8 * block.expansion, 10)

    def _make(self, block, planes, blocks, stride):
        down = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            down = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, down)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def features(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return torch.flatten(self.avgpool(x), 1)


def torchvision_features(model, x):
    model.fc = nn.Identity()
    return model(x)


def randomise_bn(model, g):
    # Non-trivial running statistics and affine parameters, so eval mode is really exercised.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.1)


def save_fixture(out, name, state, x, y, meta):
    """NAME.safetensors and NAME.pth (the state dict), NAME_io.safetensors (`x`, `features`) and
    NAME.json (`meta`): the fixture layout the Rust replays read."""
    state = {k: v.contiguous() for k, v in state.items()}
    save_file(state, os.path.join(out, name + ".safetensors"))
    torch.save(state, os.path.join(out, name + ".pth"))
    save_file({"x": x.contiguous(), "features": y.contiguous()}, os.path.join(out, name + "_io.safetensors"))
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(name, tuple(x.shape), "->", tuple(y.shape))


def write(out, name, model, features, meta, x):
    model.eval()
    with torch.no_grad():
        y = features(model, x)
    save_fixture(out, name, model.state_dict(), x, y, meta)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    with torch.no_grad():
        if "--full" in sys.argv:
            for arch, bottleneck, layers in [("resnet18", False, [2, 2, 2, 2]), ("resnet50", True, [3, 4, 6, 3])]:
                m = getattr(torchvision.models, arch)(weights=None)
                randomise_bn(m, g)
                x = torch.randn(2, 3, 224, 224, generator=g)
                meta = {"bottleneck": bottleneck, "layers": layers, "base_width": 64, "in_channels": 3}
                write(out, arch, m, torchvision_features, meta, x)
        else:
            for name, block, layers, width, in_ch, size in [
                ("basic_w8", BasicBlock, [1, 2, 1, 1], 8, 3, 40),
                ("bottleneck_w4_gray", Bottleneck, [1, 1, 2, 1], 4, 1, 36),
            ]:
                m = NarrowResNet(block, layers, width, in_ch)
                randomise_bn(m, g)
                x = torch.randn(2, in_ch, size, size, generator=g)
                meta = {"bottleneck": block is Bottleneck, "layers": layers, "base_width": width, "in_channels": in_ch}
                write(out, name, m, lambda m, x: m.features(x), meta, x)


if __name__ == "__main__":
    main()
