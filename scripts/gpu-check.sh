#!/usr/bin/env bash
# The CUDA check, in two halves.
#
#   scripts/gpu-check.sh build   # here: builds the cuda binaries into gpu-check/ (no GPU needed;
#                                # burn's cuda backend loads the driver, NVRTC and NCCL at run time)
#   scripts/gpu-check.sh run     # on the GPU machine, from the repository root, with
#                                # gpu-check/carry/ and tools/reference/ copied there: no Rust,
#                                # no network needed
#
# `run` needs a CUDA driver, NVRTC and NCCL (a CUDA toolkit or PyTorch's nvidia-* wheels) and
# PyTorch with transformers for the reference. It checks, in under 5 minutes:
#   1. the feature-cache gradient on CUDA equals the full-batch gradient (parity accum);
#   2. the data-parallel step through burn's all_reduce (NCCL) equals the full-batch step, on every
#      GPU there (one GPU: a one-rank communicator), and simulated ranks through the host;
#   3. pairs/s of the cuda train step (plain and feature cache) side by side with the PyTorch
#      reference's train step on the same GPU, for ResNet18 + MiniLM-shaped BERT and for the
#      paper's ResNet50 + BERT-base-shaped BERT (random init: real weights are too large to carry).
# Results: one JSON line per measurement on stdout and in ${OUT:-gpu-check}/gpu-check.jsonl.
set -uo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

if [[ "$mode" == build ]]; then
  set -e
  # cudarc asks nvcc for the CUDA version unless told; 13.0 matches driver 580 (older drivers:
  # CUDARC_CUDA_VERSION=12080).
  export CUDARC_CUDA_VERSION="${CUDARC_CUDA_VERSION:-13000}"
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/convirt-target}-cuda"
  # cubecl-cuda 0.11 always compiles its LLVM/NVPTX kernel compiler too, whose build script
  # downloads LLVM 23 from GitHub. The `cuda` feature selects the NVRTC (C++) compiler instead
  # (cubecl-cuda's `cpp`), so where LLVM cannot be fetched: skip the download (DOCS_RS, honoured
  # by tracel-llvm-bundler and cubecl-llvm) and let the never-called LLVM symbols stay unresolved.
  if [[ ! -e "$HOME/.local/share/tracel/tracel-llvm-23.1.0-4" ]]; then
    export DOCS_RS=1
    export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,--unresolved-symbols=ignore-all"
  fi
  cargo build --release --no-default-features --features cuda --example parity --example bench
  # What travels (gpu-check/carry, ~30 MB): the stripped binaries, xz-compressed, and, for a
  # build without LLVM, a stub library the loader binds the unused LLVM symbols to.
  rm -rf gpu-check && mkdir -p gpu-check/carry
  for b in parity bench; do
    strip -o "gpu-check/$b" "$CARGO_TARGET_DIR/release/examples/$b"
    xz -T0 -6 -c "gpu-check/$b" > "gpu-check/carry/$b.xz"
  done
  if [[ -n "${DOCS_RS:-}" ]]; then
    scripts/llvm-stub.sh gpu-check/carry/libllvm_stub.so gpu-check/parity gpu-check/bench
  fi
  ls -la gpu-check/carry
  exit 0
fi

out="${OUT:-gpu-check}"
mkdir -p "$out"
log="$out/gpu-check.jsonl"
: > "$log"
python="${PYTHON:-python3}"

bin="$(mktemp -d)"
for b in parity bench; do
  if [[ -f gpu-check/carry/$b.xz ]]; then xz -dc "gpu-check/carry/$b.xz" > "$bin/$b"; else cp "gpu-check/$b" "$bin/$b"; fi
  chmod +x "$bin/$b"
done
# Only our binaries get the stub: Python's own LLVM users (Triton) must not see it.
ours=(env)
if [[ -f gpu-check/carry/libllvm_stub.so ]]; then
  ours=(env "LD_PRELOAD=$PWD/gpu-check/carry/libllvm_stub.so")
fi

# NVRTC and NCCL: cudarc opens libnvrtc.so / libnccl.so (NCCL's own soname is libnccl.so.2,
# which cudarc does not try), so link whatever is installed into one folder.
libs="$(mktemp -d)"
for name in nccl nvrtc nvrtc-builtins; do
  found="$(find /usr/local/cuda*/lib64 /usr/lib/x86_64-linux-gnu /opt /usr/local/lib \
    -name "lib$name.so*" 2>/dev/null | sort | head -n 1)"
  [[ -n "$found" ]] && ln -sf "$found" "$libs/lib$name.so"
  echo "lib$name: ${found:-not found}"
done
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
ngpu="$(nvidia-smi -L | wc -l)"
echo "{\"what\":\"gpu\",\"gpu\":\"$gpu\",\"count\":$ngpu}" | tee -a "$log"
status=0
check() { # NAME TIMEOUT COMMAND...: runs, keeps its JSON lines, remembers a failure
  local name="$1" limit="$2"; shift 2
  echo "== $name: $*" >&2
  local text rc
  text="$(timeout "$limit" "$@" 2>"$out/$name.err")"; rc=$?
  echo "$text" | grep '^{' | sed "s/^{/{\"check\":\"$name\",\"rc\":$rc,/" | tee -a "$log"
  if [[ $rc -ne 0 ]]; then
    status=1
    echo "{\"check\":\"$name\",\"rc\":$rc,\"error\":$(tail -n 5 "$out/$name.err" | "$python" -c 'import json,sys; print(json.dumps(sys.stdin.read()))')}" | tee -a "$log"
  fi
}

check accum_cache 60 "${ours[@]}" "$bin/parity" --backend cuda accum --batch 64 --micro 8
check dp_all_reduce 60 "${ours[@]}" "$bin/parity" --backend cuda accum --batch 64 --devices "$ngpu" --collective all-reduce
check dp_host_4ranks 60 "${ours[@]}" "$bin/parity" --backend cuda accum --batch 64 --devices cuda:0,cuda:0,cuda:0,cuda:0 --collective host

small=(--arch resnet18 --batch 32 --size 224 --seq 64 --frozen 3)
paper=(--arch resnet50 --batch 32 --size 224 --seq 64 --frozen 6)
check torch_r18_minilm 60 "$python" tools/reference/torch_ref_cuda.py "${small[@]}" --text-shape minilm
check cuda_r18_minilm 90 "${ours[@]}" "$bin/bench" --backend cuda train "${small[@]}" --text-shape minilm --steps 10 --warmup 8
check cuda_r18_minilm_micro8 90 "${ours[@]}" "$bin/bench" --backend cuda train "${small[@]}" --text-shape minilm --steps 10 --warmup 8 --micro 8
check torch_r50_base 60 "$python" tools/reference/torch_ref_cuda.py "${paper[@]}" --text-shape base
check cuda_r50_base 90 "${ours[@]}" "$bin/bench" --backend cuda train "${paper[@]}" --text-shape base --steps 10 --warmup 8
exit $status
