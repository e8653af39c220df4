using Microsoft.ML.Generative.Benchmarks.Anomaly;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.Memory;
using Microsoft.ML.Generative.Benchmarks.Speed;
using Microsoft.ML.Generative.Benchmarks.Text;

namespace Microsoft.ML.Generative.Benchmarks;

/// <summary>
/// Benchmarks of Microsoft.ML.Generative. Each command prints a markdown section (ready for docs/BENCHMARKS.md) to
/// standard output and progress to standard error.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project test/Microsoft.ML.Generative.Benchmarks -- <command> [options]

        commands:
          anomaly   ODDS protocol: 6 sets x seeds, stratified 60/40 split, unsupervised; ROC-AUC of our flow,
                    RandomizedPca, a Gaussian and a plain TorchSharp Real NVP; goals G1/G2.
                      --sets thyroid,cardio   data sets (default: all six)
                      --seeds 5               number of split seeds (default 5), starting at --first-seed (default 0)
                      --methods flow,pca,gaussian,plain,diag
                      --flow "Name=Value;..." RealNvpOptions to change from the library defaults (tuning)
                      --quick                 both flows limited to 10 epochs (smoke test)
                      --csv file              append one line per fit (for analysis)
                      --verbose               the library's training log on stderr
          speed     training throughput of Fit vs a hand-written loop over the same network, batch scoring
                    through Transform vs raw forward passes, PredictionEngine rows/s.
                      --dataset shuttle|synthetic   (default shuttle: 49,097 x 9; synthetic: 100,000 x 16)
                      --epochs 5 --rounds 3         epochs per training run; alternating rounds (ours, raw)
          memory    scores 1,000,000 lazily generated rows (d = 16) through Transform + cursor and prints memory
                    at every 250,000 rows.
                      --rows 1000000 --features 16
          text-anomaly  BGL log lines: stratified 50/50 split per seed, train on the training half's normal lines,
                    ROC-AUC of alerts vs normals on the other half; add-k character n-gram baselines.
                      --seeds 5 --first-seed 0
                      --orders 3,5            n-gram orders (default 3,5)
                      --k 0.1                 add-k constant(s), comma-separated (default 0.1)
                      --methods ngram,charrnn (default both) --charrnn "Name=Value;..." CharRnnOptions to change
          text-lm   tiny-shakespeare, the plain hand-written char-RNN loop and Fit side by side: per budget (and cell) a
                    fresh run of each with the same recipe (GRU 2 x 384, 32 x 128, AdamW 3e-3, weight decay 0.3), cosine
                    over its own budget, best epoch chosen on the validation 5%, test nats/char on the last 5%; n-grams.
                      --budgets 5,10,30        minutes; one plain run and one Fit per budget (and cell)
                      --fit-only-budgets 60    minutes; Fit alone (default none)
                      --cells gru,lstm         cell types, both sides (default gru)
                      --order alternate|plain-first|fit-first   which side starts each pair (default alternate)
                      --methods ngram,plain,fit  (default all three)
                      --recipe "Name=Value;..." CharLmRecipe changes for both sides
                      --plain "Name=Value;..."  CharLmRecipe changes for the plain loop only
                      --charrnn "Name=Value;..." CharRnnOptions changes for Fit only
                      --ngram-orders 1,2,3,5 --k 0.1 --seed 0 --sample-length 300 (0: none) --temperature 0.8
          text-features Wikipedia Detox: L-BFGS logistic regression on FeaturizeText, test file + k-fold CV; embedding
                    sources alone and concatenated with FeaturizeText.
                      --embeddings surface    embedding sources to compare (default none; surface = plumbing check)
                      --folds 5 --seed 0 --l1 0 --l2 0.1
          text-speed char-RNN scoring rows/s: Transform + cursor vs hand-written batched TorchSharp (same LSTM), and
                    PredictionEngine; BGL lines repeated.
                      --rows 100000 --rounds 3 --predictions 2000 --hidden 256 --layers 2 --embedding 64 --batch 256

          image-digits  8x8 digits (17 levels), seeded 80/20 splits: test bits/dim of the image Real NVP, a per-pixel
                    categorical model and the vector Real NVP on dequantized pixels.
                      --seeds 3 --first-seed 0 --methods categorical,image,vector (add gated,rowlstm for the Pixel RNNs)
                      --image "Name=Value;..." RealNvpImageOptions to change; --vector "Name=Value;..." RealNvpOptions;
                      --pixel "Name=Value;..." PixelRnnOptions
          image-fashion Fashion-MNIST, the issue's plain hand-written loop and Fit side by side: per budget a fresh run
                    of each (cosine over its own budget), best epoch chosen on the same held-out training images, test
                    bits/dim (first --test-images, uniform dequantization); for Fit also MNIST scored by the same model
                    (OOD check, ROC-AUC), sample grids and model zips.
                      --budgets 10,20          minutes; one plain run and one Fit per budget
                      --fit-only-budgets 60    minutes; Fit alone (--fit-only-budgets "" for none)
                      --order alternate|plain-first|fit-first --methods plain,fit
                      --train-images 0 (all) --test-images 2000 --validation-fraction 0.02 --seed 0
                      --image "Name=Value;..." RealNvpImageOptions changes for Fit (recipe: defaults, LearningRate 0.002)
                      --plain "Name=Value;..." PlainImageOptions changes (LearningRate 1e-3, CosineSchedule true, BatchSize 64)
                      --samples-out dir --model-out dir (Fit's sample grids; each Fit model's zip, for image-ood)
          image-ood     MNIST vs Fashion-MNIST out-of-distribution ROC-AUC of a saved Fashion-MNIST model: likelihood,
                    typicality, input complexity (DEFLATE) and a likelihood ratio to a per-pixel background model.
                      --model file.zip --test-images 2000 --reference-images 2000
          image-mnist   MNIST t10k split 8,000 / 2,000: one Fit per time budget (and model), test bits/dim against a
                    per-pixel categorical model, sample grids.
                      --minutes 10 --seed 0 --samples-out dir --image "Name=Value;..."
                      --models realnvp,gated,rowlstm (default realnvp) --pixel "Name=Value;..." PixelRnnOptions
          image-speed   images/s of the image flow's Fit vs a hand-written loop over the same network (alternating
                    rounds), GFLOP/s of its convolutions vs a measured matmul peak. Fashion-MNIST images.
                      --images 4096 --rounds 3 --epochs 1 --image "Name=Value;..."
          pixel-fashion Fashion-MNIST, the image Real NVP (its recipe) and the Pixel RNNs side by side: per budget a fresh
                    Fit of each model, one after another (order rotating per budget); test bits/dim (Pixel RNNs exact,
                    the flow dequantized) beside independent pixels, -ln p(bottom half | top half), MNIST OOD ROC-AUC
                    (Score, ComplexityScore, TypicalityScore), PNGs of samples, completions and samples per class.
                      --budgets 10,20,30,60     minutes (default 10)
                      --models realnvp,gated,rowlstm,gated-conditional,rowlstm-conditional (default the first three)
                      --train-images 0 (all) --test-images 2000 --validation-fraction 0.02 --seed 0
                      --image / --gated / --rowlstm "Name=Value;..."  option changes per model
                      --completion-budgets 10,60 (default every budget) --samples-out dir --model-out dir
          pixel-speed   Pixel RNN speed: Fit's training images/s vs a hand-written loop over the same network
                    (alternating rounds), GFLOP/s vs a measured matmul peak; time to draw --samples images 28x28,
                    naive sampler vs rows reused.
                      --models gated,rowlstm --images 2048 --rounds 3 --epochs 1 --samples 64 --naive-samples 64
                      --pixel "Name=Value;..." --training-only --sampling-only

        common options: --data <dir> (shared data folder; default ../shared/data beside the repository root),
                        --threads N (TorchSharp intra-op threads; default: libtorch's choice)
        """;

    public static int Main(string[] args)
    {
        // The library tunes glibc's allocator before its first Fit; doing it here gives the hand-written baselines the
        // same allocator even when they run first, so the ratios compare the code, not the allocator.
        NativeAllocatorTuning.Apply();
        CommandArguments commandLine;
        try
        {
            commandLine = CommandArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            switch (commandLine.Command)
            {
                case "anomaly": AnomalyBenchmark.Run(commandLine); return 0;
                case "speed": SpeedBenchmark.Run(commandLine); return 0;
                case "memory": MemoryBenchmark.Run(commandLine); return 0;
                case "text-anomaly": TextAnomalyBenchmark.Run(commandLine); return 0;
                case "text-lm": TextLmBenchmark.Run(commandLine); return 0;
                case "text-features": TextFeaturesBenchmark.Run(commandLine); return 0;
                case "text-speed": TextSpeedBenchmark.Run(commandLine); return 0;
                case "image-digits": Images.DigitsBenchmark.Run(commandLine); return 0;
                case "image-fashion": Images.FashionMnistBenchmark.Run(commandLine); return 0;
                case "image-speed": Images.ImageSpeedBenchmark.Run(commandLine); return 0;
                case "image-ood": Images.ImageOodBenchmark.Run(commandLine); return 0;
                case "image-mnist": Images.MnistBenchmark.Run(commandLine); return 0;
                case "pixel-fashion": PixelImages.PixelFashionBenchmark.Run(commandLine); return 0;
                case "pixel-speed": PixelImages.PixelSpeedBenchmark.Run(commandLine); return 0;
                case "image-plain":
                    Console.Error.WriteLine("image-plain is now part of image-fashion: image-fashion --budgets 10,20 runs the plain loop and Fit per budget (--methods plain for the plain loop alone).");
                    return 2;
                default:
                    Console.Error.WriteLine(Usage);
                    return commandLine.Command is "" or "help" or "--help" ? 0 : 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }
}
