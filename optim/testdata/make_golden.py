#!/usr/bin/python3
"""Writes golden.json: the parameters torch.optim.Adam produces over 6 steps
from fixed gradients, with two parameter groups (their own learning rate and
weight decay), which optim's tests compare against.

Run from this folder with Debian's torch (apt-get install -y python3-torch):
    /usr/bin/python3 make_golden.py
"""
import json
import torch

torch.manual_seed(7)


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().reshape(-1).float()]}


p = torch.randn(5, 3, requires_grad=True)
q = torch.randn(4, requires_grad=True)
init = {"p": t(p), "q": t(q)}
groups = [{"params": [p], "lr": 1e-2, "weight_decay": 0.0}, {"params": [q], "lr": 3e-3, "weight_decay": 0.01}]
opt = torch.optim.Adam(groups)
steps = []
for _ in range(6):
    gp, gq = torch.randn(5, 3), 10 * torch.randn(4)
    p.grad, q.grad = gp.clone(), gq.clone()
    opt.step()
    steps.append({"grad_p": t(gp), "grad_q": t(gq), "p": t(p), "q": t(q)})
out = {"torch": torch.__version__, "init": init,
       "groups": [{"lr": g["lr"], "weight_decay": g["weight_decay"]} for g in groups], "steps": steps}
with open("golden.json", "w") as f:
    json.dump(out, f)
print("wrote golden.json,", len(steps), "steps")
