#!/bin/sh
# The side-by-side measurements of issue #14, section 5: the plain hand-written loops and Fit, each budget its own
# fresh run for both sides (README.md beside this file, "Side-by-side comparisons"). Run from the repository root:
#
#   test/Microsoft.ML.Generative.Benchmarks/comparisons.sh [full|gru|lstm|lstm-seeds|fashion|fashion-60|smoke] [output directory]
#
# full (default): gru, lstm, fashion and fashion-60 in sequence, about 5 hours 15 minutes in all, on a quiet machine.
# The parts, each self-contained (every budget runs both sides in one process), for machines or sessions with less
# time: gru (~95 min), lstm (~95 min), fashion (plain loop and Fit at 10 and 20 minutes, ~65 min), fashion-60 (Fit
# alone, ~62 min), lstm-seeds (the LSTM's 5-minute pair from seeds 1 and 2, ~22 min). smoke: 0.3-minute budgets and small subsets, a few minutes, only to check that the commands run.
# Environment: THREADS (default 2), DATA (the shared data folder; default: found by the app, ../shared/data beside
# the repository).
set -eu
mode=${1:-full}
out=${2:-/tmp/comparisons}
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

gru()        { run text-lm-gru  text-lm --budgets 5,10,30 --cells gru --sample-length 300; }
lstm()       { run text-lm-lstm text-lm --budgets 5,10,30 --cells lstm --methods plain,fit --sample-length 300; }
# The LSTM's early training depends on its initial weights: the 5-minute pair again from seeds 1 and 2 (~22 min).
lstm_seeds() { for seed in 1 2; do
                   run text-lm-lstm-5-seed$seed text-lm --budgets 5 --cells lstm --methods plain,fit --seed $seed --sample-length 300
               done; }
fashion()    { run image-fashion image-fashion --budgets 10,20 --fit-only-budgets "" \
                   --samples-out "$out/images" --model-out "$out/models"; }
fashion_60() { run image-fashion-60 image-fashion --methods fit --budgets "" --fit-only-budgets 60 \
                   --samples-out "$out/images" --model-out "$out/models"; }

case "$mode" in
    full) gru; lstm; fashion; fashion_60 ;;
    gru) gru ;;
    lstm) lstm ;;
    lstm-seeds) lstm_seeds ;;
    fashion) fashion ;;
    fashion-60) fashion_60 ;;
    smoke)
        run text-lm-smoke text-lm --budgets 0.3 --cells gru,lstm --ngram-orders 1,3 --sample-length 100
        run image-fashion-smoke image-fashion --budgets 0.3 --fit-only-budgets 0.4 --train-images 2000 --test-images 200
        ;;
    *)
        echo "usage: $0 [full|gru|lstm|lstm-seeds|fashion|fashion-60|smoke] [output directory]" >&2
        exit 2
        ;;
esac
echo "done: $out" >&2
