#!/usr/bin/python3
"""Writes golden.json: the first three alternating steps of Ours in PyTorch, on fixed inputs and
weights, which amd's TestFirstStepsMatchPyTorch compares against (losses, mean temperatures per
modality, and the gradient of every parameter after each step's backward pass).

The model is the project's PyTorch reference, shared/bench/torch_ref.py (its AMD class), imported
from --ref; the default form of this project (the weighted regression soft label and the
standardised hint, models/amd Config) is a subclass here, written from their definitions.

Run from this folder with Debian's torch (apt-get install -y python3-torch python3-numpy):
    /usr/bin/python3 make_golden.py [--ref ../../../../shared/bench/torch_ref.py]
Parameters are stored under the Go model's names (torch's layouts are the same); dropout is 0, so
training and evaluation modes agree; gradient reversal runs at lambda 0.5.
"""
import argparse, importlib.util, json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--ref", default="../../../../shared/bench/torch_ref.py")
ap.add_argument("--out", default="golden.json")
a = ap.parse_args()
spec = importlib.util.spec_from_file_location("torch_ref", a.ref)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
MODS = ref.MODS


class Fixed(ref.AMD):
    """The project's default (models/amd): s = sigma_hat(z_h) with T_s a per-sample weight of the L1
    soft term, normalised over the batch; the hint a regressor f_p: p_m -> h fitted to z_h
    standardised per feature over the batch, T_z a per-sample weight of its squared error."""
    def __init__(self, c, **kw):
        super().__init__(c, **kw)
        self.f_p = nn.ModuleDict({m: nn.Linear(self.fusion.p_dims[m], c["h"]) for m in MODS})

    def student_loss(self, p, z_h, y):
        Wt, bt = self.head.weight.detach(), self.head.bias.detach()
        out = F.linear(z_h, Wt, bt)
        m_Z = torch.cat([F.relu(self.f_p1Z(out)), F.relu(self.f_p2Z(z_h))], 1)
        z_std = (z_h - z_h.mean(0)) / torch.sqrt(z_h.var(0, unbiased=False) + 1e-5)
        total, info = 0.0, {}
        for m in p:
            y_m = self.s_heads[m](p[m])
            T_s, T_z = self.temperatures(m, y_m, p[m], m_Z)
            info[m] = (T_s.mean().item(), T_z.mean().item())
            soft = (T_s[:, 0] * (y_m - out).abs().mean(1)).sum() / T_s.sum()
            hint = (T_z[:, 0] * ((self.f_p[m](p[m]) - z_std) ** 2).mean(1)).sum() / T_z.sum()
            total = total + self.task_loss(y_m, y) + self.alpha * soft + self.beta * hint
        return total, info


def go_name(name):
    """torch_ref's parameter name -> the Go model's (models/amd)."""
    parts = name.split(".")
    head, rest = parts[0], parts[1:]
    if head == "enc":  # enc.enc.a.0.weight, enc.enc.a.3.weight, enc.enc.t.lstm.*, enc.enc.t.lin.*
        m, sub = rest[1], rest[2:]
        if m == "t":
            return "enc.t." + ("lstm." + sub[1] if sub[0] == "lstm" else "out." + sub[1])
        return f"enc.{m}.{ {'0': '0', '3': '1'}[sub[0]] }.{sub[1]}"
    if head == "fusion":  # fusion.W.a, fusion.core, fusion.W_h, fusion.b_h
        return "fusion.W_" + rest[1] if rest[0] == "W" else name
    if head == "head":
        return name
    if head in ("f_p1Z", "f_p2Z"):  # f_p1Z.weight
        return {"f_p1Z": "msg_out_z", "f_p2Z": "msg_rep_z"}[head] + "." + rest[0]
    m = rest[0]
    if head == "f_pt":  # f_pt.a.0.weight, f_pt.a.2.weight
        return f"temp_{m}." + {"0": "0", "2": "1"}[rest[1]] + "." + rest[2]
    return {"s_heads": "student_", "f_p": "proj_", "f_p1": "msg_out_", "f_p2": "msg_rep_"}[head] + m + "." + rest[1]


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().reshape(-1).float()]}


def run(cls, seed):
    torch.manual_seed(seed)
    c = ref.config(d_a=5, d_v=4, d_t=6, seq=3, h_a=6, h_v=5, h_t=6, t_out=5, dropout=0.0,
                   t={"a": 3, "v": 3, "t": 4}, t_h=3, h=4)
    model = cls(c, msg=4)
    model.grl_lambda = 0.5
    with torch.no_grad():
        for p in model.parameters():  # a little spread in the biases too
            if p.dim() == 1:
                p.uniform_(-0.3, 0.3)
        # Temperatures that differ between samples. Equal ones (as when every hidden unit of a
        # temperature network is off) make the default form's gradient at a common shift of T
        # exactly 0 (its weights are normalised: sum_r T_r (l_r - L) = 0), so rounding noise is
        # all that is left of it, which Adam's first steps, g / (|g| + eps), turn into steps of
        # either sign in any implementation.
        for m in MODS:
            model.f_pt[m][0].weight.mul_(4)
            model.f_pt[m][0].bias.uniform_(0.2, 0.6)
    init = {go_name(k): t(v) for k, v in model.state_dict().items()}
    batches = [ref.random_batch(c, 6) for _ in range(3)]
    opt_t, opt_s = model.optimizers(lr=1e-2)
    steps = []
    for x, y in batches:  # ref.train_step, with the gradients read before each optimizer step
        model.train()
        opt_t.zero_grad(set_to_none=True)
        loss_t = model.task_loss(model.head(model.fusion(model.enc(x))), y)
        loss_t.backward()
        g_t = {go_name(n): t(q.grad) for n, q in model.named_parameters() if q.grad is not None}
        opt_t.step()
        opt_s.zero_grad(set_to_none=True)
        model.zero_grad(set_to_none=True)
        p = model.fusion.project(model.enc(x))
        z_h = ref.teacher_targets(model, x)
        loss_s, info = model.student_loss(p, z_h, y)
        loss_s.backward()
        g_s = {go_name(n): t(q.grad) for n, q in model.named_parameters() if q.grad is not None}
        opt_s.step()
        model.zero_grad(set_to_none=True)
        steps.append({"teacher_loss": loss_t.item(), "student_loss": loss_s.item(),
                      "T_s": [info[m][0] for m in MODS], "T_z": [info[m][1] for m in MODS],
                      "teacher_grads": g_t, "student_grads": g_s})
    return {"params": init, "batches": [{"a": t(x["a"]), "v": t(x["v"]), "t": t(x["t"]), "y": t(y)} for x, y in batches],
            "steps": steps, "final": {go_name(k): t(v) for k, v in model.state_dict().items()}}


cases = {"literal": run(ref.AMD, 20261201), "default": run(Fixed, 20261202)}
with open(a.out, "w") as f:
    json.dump({"torch": torch.__version__, "lambda": 0.5, "lr": 1e-2, "cases": cases}, f)
print(f"wrote {a.out} with torch {torch.__version__}", file=sys.stderr)
