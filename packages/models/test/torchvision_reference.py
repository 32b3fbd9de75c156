"""Reference computations with torchvision's ResNets for torch-weights.test.ts.

Usage: python3 torchvision_reference.py JOB.json

The job is a JSON object:
  mode         "check": load `weights` (safetensors, PyTorch layout), run `input`,
               write the features to `output`.
               "export": build a model from `seed`, give its BatchNorm layers non-trivial
               statistics, write its state dict to `weights`, an input to `input` and
               the features of that input to `output`.
  arch         "resnet18", "resnet34" or "resnet50" (torchvision.models).
  stem         "cifar" replaces conv1 with a 3x3 stride-1 convolution and maxpool with
               Identity; "imagenet" keeps torchvision's stem.
  num_classes  null replaces fc with Identity; an integer keeps a Linear classifier.
  seed, batch, size   (export only) seed, batch size and image size of the input.

Tensors are stored in safetensors files, read and written here without the
safetensors package (Debian has none): an 8-byte little-endian header length, a
JSON header, then the raw data. Images are NHWC in the files, as in tfjs.

Outputs ("check"): eval (features in eval mode), train (features in training mode,
computed after eval), and after.<name> for every running_mean and running_var of
the model after that training-mode pass; eval64, train64 and after64.<name> are
the same computed in float64 and rounded to float32. Outputs ("export"): eval.
"""

import copy
import json
import struct
import sys

import torch
import torchvision

DTYPES = {"F32": torch.float32, "I64": torch.int64}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as file:
        data = file.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_length])
    start = 8 + header_length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        chunk = bytearray(data[start + begin : start + end])
        tensor = torch.frombuffer(chunk, dtype=DTYPES[entry["dtype"]]) if chunk else torch.zeros(0)
        tensors[name] = tensor.reshape(entry["shape"]).clone()
    return tensors


def write_safetensors(path, tensors):
    header = {}
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        raw = tensor.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {
            "dtype": NAMES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(text)))
        file.write(text)
        for raw in chunks:
            file.write(raw)


def build(job):
    num_classes = job["num_classes"]
    model = getattr(torchvision.models, job["arch"])(num_classes=num_classes or 1000)
    if job["stem"] == "cifar":
        model.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        model.maxpool = torch.nn.Identity()
    if num_classes is None:
        model.fc = torch.nn.Identity()
    return model


def randomize_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            channels = module.num_features
            module.running_mean.copy_(0.1 * torch.randn(channels, generator=generator))
            module.running_var.copy_(0.5 + torch.rand(channels, generator=generator))
            module.weight.data.copy_(0.5 + torch.rand(channels, generator=generator))
            module.bias.data.copy_(0.1 * torch.randn(channels, generator=generator))
            module.num_batches_tracked.fill_(7)


def nchw(images):
    return images.permute(0, 3, 1, 2).contiguous()


def run_both_modes(model, images, suffix, outputs):
    with torch.no_grad():
        model.eval()
        outputs["eval" + suffix] = model(images).float()
        model.train()
        outputs["train" + suffix] = model(images).float()
    for name, tensor in model.state_dict().items():
        if name.endswith("running_mean") or name.endswith("running_var"):
            outputs["after" + suffix + "." + name] = tensor.float()


def check(job, model):
    state = read_safetensors(job["weights"])
    # strict=True raises on any missing or unexpected key, so the exported names must
    # equal torchvision's state_dict keys exactly.
    model.load_state_dict(state, strict=True)
    images = nchw(read_safetensors(job["input"])["input"])
    outputs = {}
    # The same computation in float64 measures the rounding error of float32.
    run_both_modes(copy.deepcopy(model).double(), images.double(), "64", outputs)
    run_both_modes(model, images, "", outputs)
    write_safetensors(job["output"], outputs)


def export(job, model):
    generator = torch.Generator().manual_seed(job["seed"])
    with torch.no_grad():
        randomize_batch_norm(model, generator)
    size = job["size"]
    images = torch.rand(job["batch"], size, size, 3, generator=generator)
    model.eval()
    with torch.no_grad():
        features = model(nchw(images))
    write_safetensors(job["weights"], model.state_dict())
    write_safetensors(job["input"], {"input": images})
    write_safetensors(job["output"], {"eval": features})


def main():
    with open(sys.argv[1]) as file:
        job = json.load(file)
    torch.manual_seed(job.get("seed", 0))
    torch.set_num_threads(1)
    model = build(job)
    if job["mode"] == "check":
        check(job, model)
    elif job["mode"] == "export":
        export(job, model)
    else:
        raise SystemExit(f"Invalid mode {job['mode']!r}: expected check or export.")
    print(json.dumps({"torch": torch.__version__, "torchvision": torchvision.__version__}))


if __name__ == "__main__":
    main()
