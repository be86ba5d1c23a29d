#!/usr/bin/env bash
# Speed and memory of this library against the PyTorch peer (../shared/bench/torch_peer.py), side by
# side on this machine: the reference CroSSL model, 6 modalities x [512, 3], training batch 64,
# embedding batch 256. Runs both ROUNDS times, alternating (never at the same time: OpenMP
# spin-waiting makes concurrent jobs slow each other badly), and prints the medians and the ratios.
#   scripts/bench-vs-torch.sh [--install] [--rounds N]
#   --install   apt-get install python3-torch libopenblas0-openmp first (Debian; needs root)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="$ROOT/../shared/bench/torch_peer.py"
ROUNDS=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --install)
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q && apt-get install -y -q python3-torch libopenblas0-openmp
      shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "unknown option $1 (use --install, --rounds N)" >&2; exit 2 ;;
  esac
done
[[ -f "$PEER" ]] || { echo "the PyTorch peer is not at $PEER" >&2; exit 1; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "PyTorch is not installed for /usr/bin/python3; run with --install (Debian: python3-torch libopenblas0-openmp)" >&2; exit 1; }
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-10000}"   # both sides run with the same OpenMP setting
"$ROOT/crossl" plugins >/dev/null                   # builds on first use, outside the timed runs
out="$(mktemp -d)"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS: crossl" >&2
  "$ROOT/crossl" bench --batch 64 --infer-batch 256 --steps 20 --warmup 5 | grep -E '^[a-z_]+=[0-9.]+$' > "$out/crossl.$r"
  echo "round $r/$ROUNDS: torch" >&2
  /usr/bin/python3 "$PEER" --batch 64 --steps 20 --warmup 5 --infer-batch 256 2>/dev/null | grep -E '^[a-z_]+=[0-9.]+$' > "$out/torch.$r"
done
python3 - "$out" "$ROUNDS" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(side):
    vals = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{side}.{r}"):
            k, v = line.strip().split("=")
            vals.setdefault(k, []).append(float(v))
    return vals
c, t = load("crossl"), load("torch")
print(f"{'metric':24}{'crossl':>12}{'torch':>12}{'ratio':>10}   (medians of {rounds} rounds; all: crossl / torch)")
for k in ["train_samples_per_s", "infer_samples_per_s", "max_rss_mb"]:
    cm, tm = statistics.median(c[k]), statistics.median(t[k])
    print(f"{k:24}{cm:12.1f}{tm:12.1f}{cm / tm:10.2f}   {c[k]} / {t[k]}")
PY
rm -rf "$out"
