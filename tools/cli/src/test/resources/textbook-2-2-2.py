#!/usr/bin/env python3
"""Hand computation (double precision) of one SGD step of the textbook 2-2-2 sigmoid network
(examples/textbook-2-2-2.json with examples/textbook-2-2-2-weights.json): the golden numbers of
TraceCommandTest. MSE with mean reduction over the 2 outputs: L = ((o1-t1)^2 + (o2-t2)^2) / 2, so dL/do = o - t."""
import math

s = lambda z: 1 / (1 + math.exp(-z))
x = [0.1, 0.2]
t = [0.05, 0.95]
W1 = [[0.1, 0.2], [0.3, 0.4]]; b1 = [0.36, 0.36]  # h1 <- w1, w2; h2 <- w3, w4
W2 = [[0.5, 0.6], [0.7, 0.8]]; b2 = [0.35, 0.35]  # o1 <- w5, w6; o2 <- w7, w8
lr = 0.6
net_h = [sum(W1[j][i] * x[i] for i in range(2)) + b1[j] for j in range(2)]
h = [s(z) for z in net_h]
net_o = [sum(W2[j][i] * h[i] for i in range(2)) + b2[j] for j in range(2)]
o = [s(z) for z in net_o]
loss = sum((o[j] - t[j]) ** 2 for j in range(2)) / 2
d_o = [(o[j] - t[j]) * o[j] * (1 - o[j]) for j in range(2)]
d_h = [sum(d_o[j] * W2[j][i] for j in range(2)) * h[i] * (1 - h[i]) for i in range(2)]
print("net_h", net_h); print("h", h); print("net_o", net_o); print("o", o); print("loss", loss)
print("delta_o", d_o); print("delta_h", d_h)
print("output.weight after", [[W2[j][i] - lr * d_o[j] * h[i] for i in range(2)] for j in range(2)])
print("output.bias after", [b2[j] - lr * d_o[j] for j in range(2)])
print("hidden.weight after", [[W1[j][i] - lr * d_h[j] * x[i] for i in range(2)] for j in range(2)])
print("hidden.bias after", [b1[j] - lr * d_h[j] for j in range(2)])
