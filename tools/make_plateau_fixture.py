"""Makes crates/convirt-train/tests/fixtures/plateau.json: PyTorch ReduceLROnPlateau learning rates
for fixed loss sequences. Run from the repo root: .venv-ref/bin/python tools/make_plateau_fixture.py"""
import json, torch, random
random.seed(0)
cases = []
for (factor, patience, threshold, cooldown, min_lr, mode) in [(0.5, 5, 1e-4, 0, 0.0, "rel"), (0.1, 2, 1e-2, 1, 1e-6, "rel"), (0.5, 0, 0.05, 0, 0.0, "abs")]:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=1e-4)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=factor, patience=patience,
        threshold=threshold, threshold_mode=mode, cooldown=cooldown, min_lr=min_lr)
    losses, lrs = [], []
    v = 3.0
    for i in range(60):
        # improving, then noisy plateaus, with exact repeats
        if i < 10: v *= 0.9
        elif i % 7 == 0: v *= 0.99995
        else: v = v * (1 + random.uniform(-0.002, 0.004))
        losses.append(v); s.step(v); lrs.append(opt.param_groups[0]["lr"])
    cases.append({"factor": factor, "patience": patience, "threshold": threshold, "threshold_mode": mode,
                  "cooldown": cooldown, "min_lr": min_lr, "initial_lr": 1e-4, "losses": losses, "lrs": lrs})
json.dump({"about": "torch 2.9.0 ReduceLROnPlateau(mode='min'): lr after each step(loss)", "cases": cases},
          open("crates/convirt-train/tests/fixtures/plateau.json", "w"), indent=0)
print([sorted(set(c["lrs"])) for c in cases])
