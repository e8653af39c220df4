#!/bin/sh
# The side-by-side measurements of issue #14, section 5: the plain hand-written loops and Fit, each budget its own
# fresh run for both sides (README.md beside this file, "Side-by-side comparisons"). Run from the repository root:
#
#   test/Microsoft.ML.Generative.Benchmarks/comparisons.sh [full|smoke] [output directory]
#
# full (default): about 5 hours 15 minutes in all, on a quiet machine. smoke: 0.3-minute budgets and small subsets,
# a few minutes, only to check that the commands run. Environment: THREADS (default 2), DATA (the shared data
# folder; default: found by the app, ../shared/data beside the repository).
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

case "$mode" in
    full)
        run text-lm-gru   text-lm --budgets 5,10,30 --cells gru --sample-length 300                        # ~95 min
        run text-lm-lstm  text-lm --budgets 5,10,30 --cells lstm --methods plain,fit --sample-length 300   # ~95 min
        run image-fashion image-fashion --budgets 10,20 --fit-only-budgets 60 \
            --samples-out "$out/images" --model-out "$out/models"                                          # ~125 min
        ;;
    smoke)
        run text-lm-smoke text-lm --budgets 0.3 --cells gru,lstm --ngram-orders 1,3 --sample-length 100
        run image-fashion-smoke image-fashion --budgets 0.3 --fit-only-budgets 0.4 --train-images 2000 --test-images 200
        ;;
    *)
        echo "usage: $0 [full|smoke] [output directory]" >&2
        exit 2
        ;;
esac
echo "done: $out" >&2
