#!/bin/sh
# The measurements of issue #15 (Pixel RNN family), docs/BENCHMARKS.md section 12. Run from the repository root, on a
# quiet machine (every figure is a timed run):
#
#   test/Microsoft.ML.Generative.Benchmarks/pixel-rnn.sh <part> [output directory]
#
# Parts, each self-contained:
#   speed          pixel-speed: Fit vs a hand-written loop (images/s, GFLOP/s vs matmul peak), naive vs row-reusing
#                  sampling of 64 images 28x28, both architectures (~30 min)
#   fashion-10     pixel-fashion: the image Real NVP (its recipe), the gated PixelCNN and the Row LSTM, 10 minutes each,
#                  with completion PNGs (~35 min)
#   fashion-20     the same at 20 minutes (~65 min); fashion-30 at 30 (~95 min)
#   fashion-60     the same at 60 minutes, with completion PNGs (~3 h 5 min)
#   conditional-30 the gated PixelCNN and its class-conditional variant, 30 minutes each, PNG of samples per class (~65 min)
#   mnist          image-mnist: the three models, 10 minutes each, MNIST t10k 8,000 / 2,000 (~35 min)
#   digits         image-digits: independent pixels, the image Real NVP and both Pixel RNNs on 8x8 digits, 3 split seeds
#   smoke          short budgets and few images, only to check that the commands run (a few minutes)
# Environment: THREADS (default 2), DATA (the shared data folder; default: found by the app).
set -eu
part=${1:?usage: $0 speed|fashion-10|fashion-20|fashion-30|fashion-60|conditional-30|mnist|digits|smoke [output directory]}
out=${2:-/tmp/pixel-rnn}
threads=${THREADS:-2}
mkdir -p "$out"
dotnet build -c Release test/Microsoft.ML.Generative.Benchmarks > "$out/build.log"

run() {
    name=$1
    shift
    echo "$(date -u +%H:%M) $name: $*" >&2
    # DATA unquoted on purpose: empty means no --data option at all.
    dotnet run -c Release --no-build --project test/Microsoft.ML.Generative.Benchmarks -- "$@" ${DATA:+--data "$DATA"} --threads "$threads" \
        > "$out/$name.md" 2> "$out/$name.log"
}

fashion() { run "pixel-fashion-$1" pixel-fashion --budgets "$1" --models realnvp,gated,rowlstm \
                --samples-out "$out/images" --model-out "$out/models"; }

case "$part" in
    speed) run pixel-speed pixel-speed --images 2048 --rounds 3 ;;
    fashion-10|fashion-20|fashion-30|fashion-60) fashion "${part#fashion-}" ;;
    conditional-30) run pixel-conditional-30 pixel-fashion --budgets 30 --models gated,gated-conditional \
                        --samples-out "$out/images" --model-out "$out/models" ;;
    mnist) run pixel-mnist image-mnist --minutes 10 --models realnvp,gated,rowlstm --samples-out "$out/images" ;;
    digits) run pixel-digits image-digits --methods categorical,image,gated,rowlstm --seeds 3 ;;
    smoke)
        run pixel-fashion-smoke pixel-fashion --budgets 0.2 --models realnvp,gated,rowlstm,gated-conditional --train-images 1000 --test-images 50 \
            --samples-out "$out/images" --model-out "$out/models"
        run pixel-speed-smoke pixel-speed --images 64 --rounds 1 --samples 4 --naive-samples 4
        ;;
    *)
        echo "usage: $0 speed|fashion-10|fashion-20|fashion-30|fashion-60|conditional-30|mnist|digits|smoke [output directory]" >&2
        exit 2
        ;;
esac
echo "done: $out" >&2
