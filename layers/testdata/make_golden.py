#!/usr/bin/python3
"""Writes golden.json: PyTorch's own forward values and gradients for Linear,
LSTM and BatchNorm1d on fixed inputs, which layers' tests compare against.

Run from this folder with Debian's torch (apt-get install -y python3-torch):
    /usr/bin/python3 make_golden.py
Each case stores its inputs, parameters (PyTorch names), the output, and the
gradients of loss = sum(output * R) for a fixed random R, all as float32.
"""
import json
import torch

torch.manual_seed(20261129)


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().reshape(-1).float()]}


def grads(module, inputs, out):
    R = torch.randn_like(out)
    (out * R).sum().backward()
    g = {name: t(p.grad) for name, p in module.named_parameters()}
    g.update({k: t(v.grad) for k, v in inputs.items()})
    return t(R), g


cases = {}

lin = torch.nn.Linear(5, 3)
x = torch.randn(4, 5, requires_grad=True)
out = lin(x)
R, g = grads(lin, {"x": x}, out)
cases["linear"] = {"params": {k: t(v) for k, v in lin.state_dict().items()}, "x": t(x), "out": t(out), "R": R, "grads": g}

lstm = torch.nn.LSTM(6, 4, batch_first=True)
x = torch.randn(3, 5, 6, requires_grad=True)
_, (h, _) = lstm(x)
out = h[-1]
R, g = grads(lstm, {"x": x}, out)
cases["lstm"] = {"params": {k: t(v) for k, v in lstm.state_dict().items()}, "x": t(x), "out": t(out), "R": R, "grads": g}

lstm = torch.nn.LSTM(6, 4, batch_first=True)
x = torch.randn(3, 5, 6, requires_grad=True)
lengths = [5, 2, 3]
packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
_, (h, _) = lstm(packed)
out = h[-1]
R, g = grads(lstm, {"x": x}, out)
cases["lstm_lengths"] = {"params": {k: t(v) for k, v in lstm.state_dict().items()}, "x": t(x), "out": t(out), "R": R,
                         "grads": g, "lengths": lengths}

bn = torch.nn.BatchNorm1d(4)
with torch.no_grad():
    bn.weight.copy_(torch.randn(4))
    bn.bias.copy_(torch.randn(4))
params = {k: t(v) for k, v in bn.named_parameters()}
x = (2 * torch.randn(6, 4) + 1).requires_grad_()
bn.train()
out = bn(x)
R, g = grads(bn, {"x": x}, out)
bn.eval()
x2 = torch.randn(3, 4)
out_eval = bn(x2)
cases["batchnorm"] = {"params": params, "x": t(x), "out": t(out), "R": R, "grads": g,
                      "running_mean": t(bn.running_mean), "running_var": t(bn.running_var),
                      "x_eval": t(x2), "out_eval": t(out_eval)}

with open("golden.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print("wrote golden.json with", ", ".join(cases))
