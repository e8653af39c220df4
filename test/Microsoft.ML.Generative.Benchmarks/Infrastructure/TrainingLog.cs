using System.Diagnostics;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// Echoes Fit's split, per-epoch and time-limit messages, and every warning (a kernel fallback among them), from
/// <c>MLContext.Log</c> to stderr, with the minutes since attaching.
/// </summary>
internal static class TrainingLog
{
    public static void Attach(MLContext ml)
    {
        var clock = Stopwatch.StartNew();
        ml.Log += (_, e) =>
        {
            // "held out": how many rows Fit kept for validation, to check the split it was meant to use.
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning || e.Message.Contains("Epoch ") || e.Message.Contains("time limit") || e.Message.Contains("malloc") || e.Message.Contains("held out"))
                Console.Error.WriteLine($"  [{clock.Elapsed.TotalMinutes:F1} min] {e.Message}");
        };
    }
}
