#!/usr/bin/env bash
# The device check: on a Linux x86-64 machine with an NVIDIA GPU (CUDA 12 driver; cuDNN 9 for ONNX
# Runtime's CUDA provider) and Maven Central reachable for the first build, in under 8 minutes:
#   1. builds rlvr4j with the cuda profile (PyTorch 2.5.1 cu124 on DJL 0.33.0, onnxruntime_gpu);
#   2. runs the GPU parity tests (tag gpu): the DJL fixture's log-probs, greedy tokens and training
#      steps on CUDA against the CPU, and ONNX Runtime's greedy tokens and log-probs on CUDA against
#      the CPU; a test skipped for want of a GPU counts as a failure here;
#   3. bench train on cpu and cuda, and bench rollout (djl, onnx) with both on CUDA, on the built-in
#      default model;
#   4. prints one summary (also written to target/device-check/summary.txt).
# Usage: scripts/device-check.sh      (CI never runs it: it needs a GPU)
set -uo pipefail
cd "$(dirname "$0")/.."
out=target/device-check
rm -rf "$out" && mkdir -p "$out"
export RLVR4J_BUILD_ARGS="-Pcuda"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
status=0
say() { echo "$*" | tee -a "$out/summary.txt"; }
step() { # step NAME SECONDS COMMAND...: runs it with a time limit, its output to $out/NAME.log
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  if timeout "$limit" "$@" > "$out/$name.log" 2>&1; then say "ok    $name ($((SECONDS - t0)) s)"
  else say "FAIL  $name (exit $?, $((SECONDS - t0)) s; see $out/$name.log)"; status=1; fi
}

say "device check, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD 2>/dev/null)"
say "gpu: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -n1)"
step build 240 ./rlvr4j build
step parity 150 ./mvnw -B -o -Pcuda test -pl backend-djl,backend-onnx -am -Dgroups=gpu -Dsurefire.excludedGroups= \
    -Dsurefire.failIfNoSpecifiedTests=false
for r in backend-djl/target/surefire-reports/TEST-*CudaParityTest.xml backend-onnx/target/surefire-reports/TEST-*OnnxPlacementTest.xml; do
  if [[ ! -f "$r" ]] || grep -q 'skipped="[1-9]' "$r"; then say "FAIL  parity: $(basename "$r") did not run every test (no GPU seen?)"; status=1; fi
done
step bench-train 120 ./rlvr4j bench train --device cpu,cuda --batch 16 --steps 5 --warmup 2 --json
step bench-rollout 120 ./rlvr4j bench rollout --engine djl,onnx --batch 32 --new-tokens 64 --reps 3 \
    --set policy.device=cuda --set rollout.device=cuda --json

python3 - "$out" <<'PY' | tee -a "$out/summary.txt"
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
def last_json(name):
    text = (out / f"{name}.log").read_text(errors="replace") if (out / f"{name}.log").exists() else ""
    start = text.rfind("\n{")
    try:
        return json.loads(text[start + 1:] if start >= 0 else text)
    except ValueError:
        return None
t = last_json("bench-train")
if t:
    for device, d in t.get("devices", {}).items():
        print(f"train   {device}: {d['ms_per_step']:.1f} ms/step, {d['tokens_per_s']:.0f} tokens/s, last loss {d['last_loss']:.5f}")
r = last_json("bench-rollout")
if r:
    for name, e in r.get("engines", {}).items():
        share = e.get("roofline_share")
        print(f"rollout {name}: {e['tokens_per_s']:.0f} tokens/s, weight sync {e['weight_sync_ms']:.0f} ms"
              f" ({100 * e['weight_sync_share']:.1f}% of a step)" + (f", {100 * share:.0f}% of its roofline" if share is not None else ""))
PY
say "$([[ $status -eq 0 ]] && echo 'device check passed' || echo 'device check FAILED')"
exit $status
