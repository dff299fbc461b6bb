"""The reference U-Net in plain PyTorch, written from the architecture description of unetzoo.

It is the "Annotated Diffusion" U-Net: ResNet blocks with an additive time embedding, pre-norm
linear attention at every level, dot-product attention in the middle. Module names follow the
reference module tree, so its state_dict keys are the parameter names unetzoo uses.

Per-level attention kinds (`attention`) and the middle kind (`mid_attention`) are parameters so that
the parity tests can cover every attention kind; the defaults are the reference.
"""

import math

import torch
from torch import nn
import torch.nn.functional as F


class SinusoidalPositionEmbeddings(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, time):
        half = self.dim // 2
        scale = math.log(10000) / (half - 1)
        frequencies = torch.exp(torch.arange(half, device=time.device) * -scale)
        arguments = time[:, None].float() * frequencies[None, :]
        return torch.cat((arguments.sin(), arguments.cos()), dim=-1)


class Block(nn.Module):
    def __init__(self, dim, dim_out, groups):
        super().__init__()
        self.proj = nn.Conv2d(dim, dim_out, 3, padding=1)
        self.norm = nn.GroupNorm(groups, dim_out)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.norm(self.proj(x)))


class ResnetBlock(nn.Module):
    def __init__(self, dim, dim_out, time_emb_dim=None, groups=8):
        super().__init__()
        self.mlp = nn.Sequential(nn.SiLU(), nn.Linear(time_emb_dim, dim_out)) if time_emb_dim else None
        self.block1 = Block(dim, dim_out, groups)
        self.block2 = Block(dim_out, dim_out, groups)
        self.res_conv = nn.Conv2d(dim, dim_out, 1) if dim != dim_out else nn.Identity()

    def forward(self, x, time_emb=None):
        h = self.block1(x)
        if self.mlp is not None and time_emb is not None:
            h = h + self.mlp(time_emb)[:, :, None, None]
        h = self.block2(h)
        return h + self.res_conv(x)


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=32):
        super().__init__()
        self.scale = dim_head ** -0.5
        self.heads = heads
        hidden = dim_head * heads
        self.to_qkv = nn.Conv2d(dim, hidden * 3, 1, bias=False)
        self.to_out = nn.Conv2d(hidden, dim, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = (t.reshape(b, self.heads, -1, h * w) for t in self.to_qkv(x).chunk(3, dim=1))
        q = q * self.scale
        sim = torch.einsum("b h d i, b h d j -> b h i j", q, k)
        sim = sim - sim.amax(dim=-1, keepdim=True).detach()
        attn = sim.softmax(dim=-1)
        out = torch.einsum("b h i j, b h d j -> b h i d", attn, v)
        out = out.permute(0, 1, 3, 2).reshape(b, -1, h, w)
        return self.to_out(out)


class LinearAttention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=32):
        super().__init__()
        self.scale = dim_head ** -0.5
        self.heads = heads
        hidden = dim_head * heads
        self.to_qkv = nn.Conv2d(dim, hidden * 3, 1, bias=False)
        self.to_out = nn.Sequential(nn.Conv2d(hidden, dim, 1), nn.GroupNorm(1, dim))

    def forward(self, x):
        b, c, h, w = x.shape
        q, k, v = (t.reshape(b, self.heads, -1, h * w) for t in self.to_qkv(x).chunk(3, dim=1))
        q = q.softmax(dim=-2)
        k = k.softmax(dim=-1)
        q = q * self.scale
        context = torch.einsum("b h d n, b h e n -> b h d e", k, v)
        out = torch.einsum("b h d e, b h d n -> b h e n", context, q)
        return self.to_out(out.reshape(b, -1, h, w))


class PreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.fn = fn
        self.norm = nn.GroupNorm(1, dim)

    def forward(self, x):
        return self.fn(self.norm(x))


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


class Downsample(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv = nn.Conv2d(dim, dim, 4, 2, 1)

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.trans_conv = nn.ConvTranspose2d(dim, dim, 4, 2, 1)

    def forward(self, x):
        return self.trans_conv(x)


def attention_block(kind, dim):
    if kind == "none":
        return nn.Identity()
    inner = LinearAttention(dim) if kind == "linear" else Attention(dim)
    return Residual(PreNorm(dim, inner))


class Unet(nn.Module):
    def __init__(self, dim, init_dim=None, out_dim=None, dim_mults=(1, 2, 4, 8), channels=3,
                 with_time_emb=True, resnet_block_groups=8, attention=None, mid_attention="dot_product"):
        super().__init__()
        self.channels = channels
        init_dim = init_dim if init_dim is not None else dim // 3 * 2
        self.init_conv = nn.Conv2d(channels, init_dim, 7, padding=3)
        dims = [init_dim, *map(lambda m: dim * m, dim_mults)]
        in_out = list(zip(dims[:-1], dims[1:]))
        groups = resnet_block_groups
        attention = attention or ["linear"] * len(dim_mults)

        if with_time_emb:
            time_dim = dim
            self.time_mlp = nn.Sequential(
                SinusoidalPositionEmbeddings(dim), nn.Linear(dim, time_dim), nn.GELU(), nn.Linear(time_dim, time_dim))
        else:
            time_dim = None
            self.time_mlp = None

        self.downs = nn.ModuleList([])
        self.ups = nn.ModuleList([])
        levels = len(in_out)
        for index, (dim_in, dim_out) in enumerate(in_out):
            is_last = index >= levels - 1
            self.downs.append(nn.ModuleList([
                ResnetBlock(dim_in, dim_out, time_emb_dim=time_dim, groups=groups),
                ResnetBlock(dim_out, dim_out, time_emb_dim=time_dim, groups=groups),
                attention_block(attention[index], dim_out),
                Downsample(dim_out) if not is_last else nn.Identity(),
            ]))

        mid_dim = dims[-1]
        self.mid_block1 = ResnetBlock(mid_dim, mid_dim, time_emb_dim=time_dim, groups=groups)
        self.mid_attn = attention_block(mid_attention, mid_dim)
        self.mid_block2 = ResnetBlock(mid_dim, mid_dim, time_emb_dim=time_dim, groups=groups)

        for index, (dim_in, dim_out) in enumerate(reversed(in_out[1:])):
            # This up level runs at the resolution of down level `level` and takes that level's skip,
            # so that level's attention kind applies to it.
            level = levels - 1 - index
            self.ups.append(nn.ModuleList([
                ResnetBlock(dim_out * 2, dim_in, time_emb_dim=time_dim, groups=groups),
                ResnetBlock(dim_in, dim_in, time_emb_dim=time_dim, groups=groups),
                attention_block(attention[level], dim_in),
                Upsample(dim_in),
            ]))

        out_dim = out_dim if out_dim is not None else channels
        self.final_conv = nn.Sequential(ResnetBlock(dim, dim, groups=groups), nn.Conv2d(dim, out_dim, 1))

    def forward(self, x, time):
        x = self.init_conv(x)
        t = self.time_mlp(time) if self.time_mlp is not None else None
        h = []
        for block1, block2, attn, downsample in self.downs:
            x = block1(x, t)
            x = block2(x, t)
            x = attn(x)
            h.append(x)
            x = downsample(x)
        x = self.mid_block1(x, t)
        x = self.mid_attn(x)
        x = self.mid_block2(x, t)
        for block1, block2, attn, upsample in self.ups:
            x = torch.cat((x, h.pop()), dim=1)
            x = block1(x, t)
            x = block2(x, t)
            x = attn(x)
            x = upsample(x)
        return self.final_conv(x)


def write_parameter_names(path):
    """Writes the name and shape of every parameter of the Fashion-MNIST configuration, one per line."""
    model = Unet(dim=28, dim_mults=(1, 2, 4), channels=1, resnet_block_groups=4)
    with open(path, "w") as file:
        file.write("# Generated by Tests/Parity/reference_unet.py (Unet(dim=28, dim_mults=(1, 2, 4), channels=1,\n"
                   "# resnet_block_groups=4).state_dict()): name and shape of every parameter. Do not edit.\n")
        for name, parameter in model.state_dict().items():
            file.write(f"{name} {list(parameter.shape)}\n")


if __name__ == "__main__":
    import os
    write_parameter_names(os.path.join(os.path.dirname(__file__), "fashion_mnist_parameter_names.txt"))
