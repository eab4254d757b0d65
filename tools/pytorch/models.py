"""The PyTorch models the fixtures and the round trip use: one recurrent layer and a linear head.

Their state_dict() keys are exactly the names UnrolledRnn's default CheckpointNames.PyTorch gives the
cells of docs/equations.md: rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0,
head.weight, head.bias.
"""

import torch
from torch import nn

KINDS = ("rnn_tanh", "rnn_relu", "lstm", "gru")


class Model(nn.Module):
    def __init__(self, kind, inputs, hidden, outputs):
        super().__init__()
        self.kind = kind
        if kind in ("rnn_tanh", "rnn_relu"):
            self.rnn = nn.RNN(inputs, hidden, nonlinearity=kind[4:])
        elif kind == "lstm":
            self.rnn = nn.LSTM(inputs, hidden)
        elif kind == "gru":
            self.rnn = nn.GRU(inputs, hidden)
        else:
            raise ValueError(kind)
        self.head = nn.Linear(hidden, outputs)

    def state_names(self):
        """The carried state in UnrolledRnn's order (declaration order in the cell: h, then c)."""
        return ("h", "c") if self.kind == "lstm" else ("h",)

    def forward(self, x, state):
        """x: [steps, inputs]; state: tuple of [hidden] tensors. Returns y [steps, outputs] and the final state."""
        batch = x.unsqueeze(1)  # [steps, batch = 1, inputs]
        initial = tuple(s.view(1, 1, -1) for s in state)
        out, final = self.rnn(batch, initial if self.kind == "lstm" else initial[0])
        final = final if self.kind == "lstm" else (final,)
        return self.head(out.squeeze(1)), tuple(f.view(-1) for f in final)


def loss_and_gradients(model, x, state, dl_dy, dl_dfinal):
    """L = sum(dl_dy * y) + sum_s sum(dl_dfinal[s] * final[s]); returns y, final, dL/dparameters, dL/dstate."""
    model.zero_grad()
    state = tuple(s.detach().clone().requires_grad_(True) for s in state)
    y, final = model(x, state)
    loss = (dl_dy * y).sum() + sum((d * f).sum() for d, f in zip(dl_dfinal, final))
    loss.backward()
    gradients = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
    return y.detach(), tuple(f.detach() for f in final), gradients, tuple(s.grad.detach() for s in state)
