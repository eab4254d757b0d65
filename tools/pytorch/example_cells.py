"""The example cells of docs/equations.md written independently in PyTorch, one module per cell, each from its
paper's equations (cited on the class), to referee the generated code: tools/pytorch/example_fixtures.py runs
them and Generator.Tests/PyTorch/ExampleCellParityTests.cs compares the docs examples with them.

Every module holds its parameters under the cell's own names (so a checkpoint loads with CheckpointNames.Verbatim),
matrices as [rows, columns] and vectors as [n], and has:
    STATES           the carried state's parts, in the cell's declaration order (each of `hidden` elements)
    input_size(n)    the elements of one step's input (more than n when the cell has a second input, as CfC's dt)
    step(x, state)   one time step: x [input_size], state a tuple of [hidden] tensors -> (y [outputs], new state)
The constants (dt, gamma, ...) are the ones the docs examples declare; the notes there say where they come from.
"""

import math

import torch
from torch import nn


def _matrix(rows, columns):
    return nn.Parameter(torch.randn(rows, columns, dtype=torch.float64) / math.sqrt(columns))


def _vector(n, scale=0.5, mean=0.0):
    return nn.Parameter(mean + scale * torch.randn(n, dtype=torch.float64))


class Cell(nn.Module):
    STATES = ("h",)

    def __init__(self, inputs, hidden, outputs):
        super().__init__()
        self.inputs, self.hidden, self.outputs = inputs, hidden, outputs
        self.W_out = _matrix(outputs, hidden)
        self.b_out = _vector(outputs)

    def input_size(self):
        return self.inputs

    def head(self, h):
        return self.W_out @ h + self.b_out

    def initial_state(self):
        """A random initial state in the cell's domain (each part [hidden])."""
        return tuple(0.5 * torch.randn(self.hidden, dtype=torch.float64) for _ in self.STATES)

    def random_inputs(self, steps):
        return torch.randn(steps, self.input_size(), dtype=torch.float64)


class IndRnn(Cell):
    """Li, Li, Cook, Zhu and Gao (2018), Independently recurrent neural network (IndRNN), CVPR, eq. (2):
    h_t = relu(W x_t + u * h_{t-1} + b), the recurrent weight u a vector (a Hadamard product)."""

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W = _matrix(hidden, inputs)
        self.u = nn.Parameter(torch.rand(hidden, dtype=torch.float64))  # in [0, 1), as the paper initialises it
        self.b = _vector(hidden)

    def step(self, x, state):
        (h,) = state
        h = torch.relu(self.W @ x + self.u * h + self.b)
        return self.head(h), (h,)


class CoRnn(Cell):
    """Rusch and Mishra (2021), Coupled oscillatory recurrent neural network (coRNN), ICLR, eq. (3), the IMEX
    discretisation of y'' = tanh(W y + Wz y' + V u + b) - gamma y - eps y':
        z_n = z_{n-1} + dt (tanh(W y_{n-1} + Wz z_{n-1} + V u_n + b) - gamma y_{n-1} - eps z_{n-1})
        y_n = y_{n-1} + dt z_n
    dt, gamma, eps: the paper's sequential-MNIST values (its table 6)."""

    STATES = ("y", "z")
    dt, gamma, eps = 0.042, 2.7, 4.7

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W = _matrix(hidden, hidden)
        self.W_z = _matrix(hidden, hidden)
        self.V = _matrix(hidden, inputs)
        self.b = _vector(hidden)

    def step(self, u, state):
        y, z = state
        z = z + self.dt * (torch.tanh(self.W @ y + self.W_z @ z + self.V @ u + self.b) - self.gamma * y - self.eps * z)
        y = y + self.dt * z
        return self.head(y), (y, z)


class Lem(Cell):
    """Rusch, Mishra, Erichson and Mahoney (2022), Long expressive memory for sequence modeling, ICLR, eq. (3):
        dt_n  = dt sigmoid(W1 y_{n-1} + V1 u_n + b1)        (the learned time step of z)
        dtb_n = dt sigmoid(W2 y_{n-1} + V2 u_n + b2)        (the learned time step of y)
        z_n = (1 - dt_n) * z_{n-1} + dt_n * tanh(Wz y_{n-1} + Vz u_n + bz)
        y_n = (1 - dtb_n) * y_{n-1} + dtb_n * tanh(Wy z_n + Vy u_n + by)
    dt (the paper's hat-Delta-t, tuned per task): 0.5."""

    STATES = ("y", "z")
    dt = 0.5

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        for gate in ("1", "2", "z", "y"):
            setattr(self, "W_" + gate, _matrix(hidden, hidden))
            setattr(self, "V_" + gate, _matrix(hidden, inputs))
            setattr(self, "b_" + gate, _vector(hidden))

    def step(self, u, state):
        y, z = state
        dt_n = self.dt * torch.sigmoid(self.W_1 @ y + self.V_1 @ u + self.b_1)
        dtb_n = self.dt * torch.sigmoid(self.W_2 @ y + self.V_2 @ u + self.b_2)
        z = (1 - dt_n) * z + dt_n * torch.tanh(self.W_z @ y + self.V_z @ u + self.b_z)
        y = (1 - dtb_n) * y + dtb_n * torch.tanh(self.W_y @ z + self.V_y @ u + self.b_y)
        return self.head(y), (y, z)


class Cfc(Cell):
    """Hasani, Lechner, Amini, Liebenwein, Ray, Tschaikowski, Teschl and Rus (2022), Closed-form continuous-time
    neural networks, Nature Machine Intelligence, eq. (10), with a one-layer tanh backbone shared by the heads:
        a   = tanh(W_x x + W_h h + b)                          (the backbone, on the input and the state)
        h_t = sigmoid(-f(a) dt) * g(a) + (1 - sigmoid(-f(a) dt)) * k(a)
        f(a) = W_f a + b_f,  g(a) = tanh(W_g a + b_g),  k(a) = tanh(W_k a + b_k)
    The input of a step is [x; dt], dt the time elapsed since the previous step (positive)."""

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W_x = _matrix(hidden, inputs)
        self.W_h = _matrix(hidden, hidden)
        self.b = _vector(hidden)
        for head in ("f", "g", "k"):
            setattr(self, "W_" + head, _matrix(hidden, hidden))
            setattr(self, "b_" + head, _vector(hidden))

    def input_size(self):
        return self.inputs + 1

    def random_inputs(self, steps):
        x = torch.randn(steps, self.inputs, dtype=torch.float64)
        elapsed = 0.1 + 1.9 * torch.rand(steps, 1, dtype=torch.float64)
        return torch.cat([x, elapsed], dim=1)

    def step(self, inputs, state):
        (h,) = state
        x, elapsed = inputs[:self.inputs], inputs[self.inputs]
        a = torch.tanh(self.W_x @ x + self.W_h @ h + self.b)
        gate = torch.sigmoid(-(self.W_f @ a + self.b_f) * elapsed)
        h = gate * torch.tanh(self.W_g @ a + self.b_g) + (1 - gate) * torch.tanh(self.W_k @ a + self.b_k)
        return self.head(h), (h,)


class MinGru(Cell):
    """Feng, Tung, Ahmed, Bengio and Hajimirsadeghi (2024), Were RNNs all we needed?, minGRU, sequential mode:
        z_t = sigmoid(Linear(x_t)),  h~_t = Linear(x_t),  h_t = (1 - z_t) * h_{t-1} + z_t * h~_t"""

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W_z, self.b_z = _matrix(hidden, inputs), _vector(hidden)
        self.W_h, self.b_h = _matrix(hidden, inputs), _vector(hidden)

    def step(self, x, state):
        (h,) = state
        z = torch.sigmoid(self.W_z @ x + self.b_z)
        h_tilde = self.W_h @ x + self.b_h
        h = (1 - z) * h + z * h_tilde
        return self.head(h), (h,)


class MinLstm(Cell):
    """Feng et al. (2024), Were RNNs all we needed?, minLSTM, sequential mode, with the normalised gates:
        f_t = sigmoid(Linear(x_t)),  i_t = sigmoid(Linear(x_t)),  h~_t = Linear(x_t)
        f'_t = f_t / (f_t + i_t),  i'_t = i_t / (f_t + i_t),  h_t = f'_t * h_{t-1} + i'_t * h~_t"""

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W_f, self.b_f = _matrix(hidden, inputs), _vector(hidden)
        self.W_i, self.b_i = _matrix(hidden, inputs), _vector(hidden)
        self.W_h, self.b_h = _matrix(hidden, inputs), _vector(hidden)

    def step(self, x, state):
        (h,) = state
        f = torch.sigmoid(self.W_f @ x + self.b_f)
        i = torch.sigmoid(self.W_i @ x + self.b_i)
        h_tilde = self.W_h @ x + self.b_h
        h = f / (f + i) * h + i / (f + i) * h_tilde
        return self.head(h), (h,)


class SLstm(Cell):
    """Beck, Poeppel, Spanring, Auer, Prudnikova, Kopp, Klambauer, Brandstetter and Hochreiter (2024), xLSTM:
    extended long short-term memory, the sLSTM of section 2.2 with one head, an exponential input gate, a sigmoid
    forget gate and the stabiliser state m (eqs. 8-17):
        [z~; i~; f~; o~] = W x_t + R h_{t-1} + b
        c_t = f'_t c_{t-1} + i'_t z_t,  n_t = f'_t n_{t-1} + i'_t,  h_t = o_t (c_t / n_t)
        z_t = tanh(z~), o_t = sigmoid(o~), log i_t = i~, log f_t = log sigmoid(f~)
        m_t = max(log f_t + m_{t-1}, log i_t),  i'_t = exp(log i_t - m_t),  f'_t = exp(log f_t + m_{t-1} - m_t)"""

    STATES = ("h", "c", "n", "m")

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W = _matrix(4 * hidden, inputs)
        self.R = _matrix(4 * hidden, hidden)
        self.b = _vector(4 * hidden)

    def initial_state(self):
        h, c, m = (0.5 * torch.randn(self.hidden, dtype=torch.float64) for _ in range(3))
        n = 0.5 + torch.rand(self.hidden, dtype=torch.float64)  # a normaliser is positive
        return h, c, n, m

    def step(self, x, state):
        h, c, n, m = state
        z_pre, i_pre, f_pre, o_pre = (self.W @ x + self.R @ h + self.b).chunk(4)
        log_i, log_f = i_pre, torch.nn.functional.logsigmoid(f_pre)
        m_new = torch.maximum(log_f + m, log_i)
        i_stable, f_stable = torch.exp(log_i - m_new), torch.exp(log_f + m - m_new)
        c = f_stable * c + i_stable * torch.tanh(z_pre)
        n = f_stable * n + i_stable
        h = torch.sigmoid(o_pre) * (c / n)
        return self.head(h), (h, c, n, m_new)


class AntisymmetricRnn(Cell):
    """Chang, Chen, Haber and Chi (2019), AntisymmetricRNN: a dynamical system view on recurrent neural networks,
    ICLR, eq. (12): h_t = h_{t-1} + eps tanh((W - W^T - gamma I) h_{t-1} + V x_t + b); eps = 0.1, gamma = 0.01,
    within the ranges the paper searches."""

    eps, gamma = 0.1, 0.01

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W = _matrix(hidden, hidden)
        self.V = _matrix(hidden, inputs)
        self.b = _vector(hidden)

    def step(self, x, state):
        (h,) = state
        eye = torch.eye(self.hidden, dtype=h.dtype)
        h = h + self.eps * torch.tanh((self.W - self.W.T - self.gamma * eye) @ h + self.V @ x + self.b)
        return self.head(h), (h,)


class Ltc(Cell):
    """Hasani, Lechner, Amini, Rus and Grosu (2021), Liquid time-constant networks, AAAI, eq. (1)
        dh/dt = -(1/tau + f(h, x)) h + f(h, x) A,  f(h, x) = sigmoid(W_h h + W_x x + mu)
    integrated over one step by the paper's fused solver (eq. 3, Algorithm 1), unfolded 3 times with dt = 1/3:
        h <- (h + dt f(h, x) A) / (1 + dt (1/tau + f(h, x)))
    1/tau = exp(w_tau), positive by construction, so each denominator is above 1."""

    unfolds = 3
    dt = 1.0 / 3

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W_h = _matrix(hidden, hidden)
        self.W_x = _matrix(hidden, inputs)
        self.mu = _vector(hidden)
        self.A = _vector(hidden, scale=1.0)
        self.w_tau = _vector(hidden)

    def step(self, x, state):
        (h,) = state
        inverse_tau = torch.exp(self.w_tau)
        for _ in range(self.unfolds):
            f = torch.sigmoid(self.W_h @ h + self.W_x @ x + self.mu)
            h = (h + self.dt * f * self.A) / (1 + self.dt * (inverse_tau + f))
        return self.head(h), (h,)


class LayerNormLstm(Cell):
    """Ba, Kiros and Hinton (2016), Layer normalization, section 6 (eq. 20-22), the layer-normalised LSTM:
        [a_i; a_f; a_g; a_o] = LN(W_ih x_t; g_x, s_x) + LN(W_hh h_{t-1}; g_h, s_h) + b
        c_t = sigmoid(a_f) c_{t-1} + sigmoid(a_i) tanh(a_g)
        h_t = sigmoid(a_o) tanh(LN(c_t; g_c, s_c))
    LN(v; gain, bias) = gain (v - mean v) / sqrt(var v + eps) + bias over the whole vector, eps = 1e-5 (PyTorch's)."""

    STATES = ("h", "c")
    eps = 1e-5

    def __init__(self, inputs, hidden, outputs):
        super().__init__(inputs, hidden, outputs)
        self.W_ih = _matrix(4 * hidden, inputs)
        self.W_hh = _matrix(4 * hidden, hidden)
        self.b = _vector(4 * hidden)
        self.g_x, self.s_x = _vector(4 * hidden, 0.2, 1.0), _vector(4 * hidden, 0.2)
        self.g_h, self.s_h = _vector(4 * hidden, 0.2, 1.0), _vector(4 * hidden, 0.2)
        self.g_c, self.s_c = _vector(hidden, 0.2, 1.0), _vector(hidden, 0.2)

    def layer_norm(self, v, gain, bias):
        return torch.nn.functional.layer_norm(v, v.shape, gain, bias, self.eps)

    def step(self, x, state):
        h, c = state
        a = self.layer_norm(self.W_ih @ x, self.g_x, self.s_x) + self.layer_norm(self.W_hh @ h, self.g_h, self.s_h) + self.b
        a_i, a_f, a_g, a_o = a.chunk(4)
        c = torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * torch.tanh(a_g)
        h = torch.sigmoid(a_o) * torch.tanh(self.layer_norm(c, self.g_c, self.s_c))
        return self.head(h), (h, c)


CELLS = {cell.__name__: cell for cell in (
    IndRnn, CoRnn, Lem, Cfc, MinGru, MinLstm, SLstm, AntisymmetricRnn, Ltc, LayerNormLstm)}
