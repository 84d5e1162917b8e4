"""Continue a BNN Playground run in PyTorch on several processes (DistributedDataParallel, gloo,
CPU), then write it back as a model file the app imports.

    npm run train -- --preset irnet --dataset mnist --latent --out runs/irnet
    npm run export-data -- --dataset mnist --split train --out mnist-train.safetensors
    npm run export-data -- --dataset mnist --split test --out mnist-test.safetensors
    PYTHONPATH=python python3 python/examples/continue_ddp.py runs/irnet/model.safetensors \\
        --train mnist-train.safetensors --test mnist-test.safetensors \\
        --steps 200 --nproc 2 --out runs/irnet-continued.safetensors

The run goes on as the app trains it (bnn_playground.torch.train): its optimiser and parameter
groups, a new warm-up-free cosine schedule over --steps from the run's peak learning rates (or
--lr / --latent-lr), the estimators' t and k held at --progress of their schedules (default 1,
where the run ended). Each step's global batch of --batch images is split across the processes;
gradients are averaged by DDP; BatchNorm statistics come from process 0 (DDP broadcasts its
buffers). Process 0 then recalibrates the BatchNorm statistics as the app does before it
evaluates (on the run's bnCalibration training images, a seeded sample with an equal share per
class), evaluates the test split, prints the accuracy, writes --out (with latent weights, so
the app can train it further) and --report.
"""

import argparse
import json
import os
import sys
import tempfile

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bnn_playground import load_model, read_data_file  # noqa: E402
from bnn_playground.torch import BnnNet  # noqa: E402
from bnn_playground.torch.train import (  # noqa: E402
    batch_indices,
    calibrate_batchnorm,
    calibration_sample,
    evaluate,
    make_optimizer,
    set_learning_rates,
    train_step,
)


def worker(rank: int, args, rendezvous: str) -> None:
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    dist.init_process_group("gloo", init_method=f"file://{rendezvous}", rank=rank, world_size=args.nproc)
    try:
        model = load_model(args.model)
        train = read_data_file(args.train)
        net = BnnNet(model)
        ddp = DistributedDataParallel(net, gradient_as_bucket_view=True)
        optimizer = make_optimizer(net, lr=args.lr, latent_lr=args.latent_lr)
        net.set_progress(args.progress)
        losses = []
        for step in range(args.steps):
            set_learning_rates(optimizer, step, args.steps)
            batch = batch_indices(len(train.labels), args.batch, step, args.seed)[rank :: args.nproc]
            x = net.prepare(train.images[batch])
            y = torch.from_numpy(train.labels[batch].astype("int64"))
            loss, _ = train_step(ddp, optimizer, x, y)
            mean_loss = torch.tensor([loss])
            dist.all_reduce(mean_loss)
            losses.append(mean_loss.item() / args.nproc)
            if rank == 0 and (step + 1) % max(1, args.steps // 10) == 0:
                print(f"step {step + 1}/{args.steps}: loss {losses[-1]:.4f}", flush=True)
        # DDP keeps the processes' parameters equal: gather a checksum of each process's.
        checksum = torch.tensor([sum(float(p.detach().double().abs().sum()) for p in net.parameters())], dtype=torch.float64)
        checksums = [torch.zeros(1, dtype=torch.float64) for _ in range(args.nproc)]
        dist.all_gather(checksums, checksum)
        if rank == 0:
            calibration = model.config["bnCalibration"]
            if calibration > 0:
                calibrate_batchnorm(net, train.images[calibration_sample(train.labels, calibration, args.seed)])
            test = read_data_file(args.test)
            accuracy, _ = evaluate(net, test.images, test.labels)
            net.export(args.out, accuracy)
            report = {
                "accuracy": accuracy,
                "images": int(len(test.labels)),
                "steps": args.steps,
                "processes": args.nproc,
                "losses": losses,
                "parameter_checksums": [c.item() for c in checksums],
                "out": args.out,
            }
            if args.report:
                with open(args.report, "w", encoding="utf-8") as f:
                    json.dump(report, f, indent=1)
            print(f"test accuracy {100 * accuracy:.2f}% on {len(test.labels)} images; wrote {args.out}", flush=True)
        dist.barrier()
    finally:
        dist.destroy_process_group()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model", help="a model file with latent weights (npm run train -- --latent, or the app's export with latent weights)")
    p.add_argument("--train", required=True, help="the train split (npm run export-data -- --split train)")
    p.add_argument("--test", required=True, help="the test split (npm run export-data -- --split test)")
    p.add_argument("--out", required=True, help="the model file to write")
    p.add_argument("--report", help="also write the accuracy and the losses as JSON")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--batch", type=int, default=None, help="global batch (default the run's batch size)")
    p.add_argument("--nproc", type=int, default=2, help="processes (default 2)")
    p.add_argument("--lr", type=float, default=None, help="peak lr of the float parameters (default the run's)")
    p.add_argument("--latent-lr", type=float, default=None, help="peak lr of the latent weights (default the run's)")
    p.add_argument("--progress", type=float, default=1.0, help="where on their schedules the estimators' t, k stay (default 1)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    model = load_model(args.model)
    if model.latent is None and any(op.kind == "bconv2d" for op in model.ops):
        print("error: the model file has no latent weights to train; export it with them (npm run train -- --latent)", file=sys.stderr)
        return 1
    if args.batch is None:
        args.batch = model.config["batchSize"]
    if args.batch % args.nproc:
        print(f"error: the batch ({args.batch}) must divide evenly among {args.nproc} processes", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        mp.spawn(worker, args=(args, os.path.join(tmp, "rendezvous")), nprocs=args.nproc, join=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
