using System.Diagnostics;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>Echoes Fit's per-epoch and time-limit messages from <c>MLContext.Log</c> to stderr, with the minutes since attaching.</summary>
internal static class TrainingLog
{
    public static void Attach(MLContext ml)
    {
        var clock = Stopwatch.StartNew();
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("Epoch ") || e.Message.Contains("time limit") || e.Message.Contains("malloc"))
                Console.Error.WriteLine($"  [{clock.Elapsed.TotalMinutes:F1} min] {e.Message}");
        };
    }
}
