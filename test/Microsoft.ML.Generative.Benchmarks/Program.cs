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

        common options: --data <dir> (shared data folder; default ../shared/data beside the repository root),
                        --threads N (TorchSharp intra-op threads; default: libtorch's choice)
        """;

    public static int Main(string[] args)
    {
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
