using System.Diagnostics;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Memory;

/// <summary>
/// Streams 1,000,000 lazily generated rows through Transform and one cursor (reading Score and Latent) and reads the
/// process's memory every quarter: scoring must not accumulate managed or native memory.
/// </summary>
internal static class MemoryBenchmark
{
    public static void Run(CommandArguments commandLine)
    {
        long rows = commandLine.Int("rows", 1_000_000);
        int d = commandLine.Int("features", 16), trainRows = commandLine.Int("train-rows", 20_000), epochs = commandLine.Int("epochs", 5);
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        string header = RunEnvironment.Header("Memory: streaming scoring", commandLine);

        var ml = new MLContext(seed: 0);
        var schema = FeatureViews.Schema<FeatureRow>(d);
        var baseline = MemoryReading.Take(0, 0);
        Console.Error.WriteLine($"training on {trainRows:N0} synthetic rows x {d} ({epochs} epochs)...");
        using var model = ml.Generative().RealNvp(new RealNvpOptions { Seed = 0, MaxEpochs = epochs })
            .Fit(ml.Data.LoadFromEnumerable(new SyntheticRows(trainRows, d, seed: 0), schema));
        var afterTraining = MemoryReading.Take(0, 0);

        var scored = model.Transform(ml.Data.LoadFromEnumerable(new SyntheticRows(rows, d, seed: 1), schema));
        var scoreColumn = scored.Schema[RealNvpTransformer.ScoreColumnName];
        var latentColumn = scored.Schema[RealNvpTransformer.LatentColumnName];
        var readings = new List<MemoryReading>();
        long step = rows / 4;
        var clock = Stopwatch.StartNew();
        using (var cursor = scored.GetRowCursor(new[] { scoreColumn, latentColumn }))
        {
            var score = cursor.GetGetter<float>(scoreColumn);
            var latent = cursor.GetGetter<VBuffer<float>>(latentColumn);
            float s = 0;
            VBuffer<float> z = default;
            double checksum = 0;
            long n = 0;
            readings.Add(MemoryReading.Take(0, 0));
            while (cursor.MoveNext())
            {
                score(ref s);
                latent(ref z);
                checksum += s;
                if (++n % step == 0)
                {
                    readings.Add(MemoryReading.Take(n, clock.Elapsed.TotalSeconds));
                    Console.Error.WriteLine($"{n:N0} rows, {n / clock.Elapsed.TotalSeconds:N0} rows/s, working set {readings[^1].WorkingSetBytes / 1048576.0:F0} MiB");
                }
            }
            if (!double.IsFinite(checksum)) Console.Error.WriteLine("note: some scores are not finite.");
        }
        clock.Stop();
        Console.WriteLine(Report(header, rows, d, trainRows, epochs, baseline, afterTraining, readings, clock.Elapsed.TotalSeconds));
    }

    private static string Report(string header, long rows, int d, int trainRows, int epochs, MemoryReading baseline, MemoryReading afterTraining,
        List<MemoryReading> readings, double seconds)
    {
        static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1");
        var sb = new StringBuilder(header);
        sb.AppendLine($"""
            A model trained on {trainRows:N0} synthetic rows x {d} ({epochs} epochs, other options default) scores {rows:N0} rows generated lazily (a seeded `IEnumerable` through `ml.Data.LoadFromEnumerable`, nothing materialised) through `Transform` and one cursor reading Score and Latent of every row. Working set and private bytes include libtorch's native memory; GC heap is `GC.GetGCMemoryInfo().HeapSizeBytes`, managed = `GC.GetTotalMemory(false)`; live tensors = `torch.Tensor.TotalCount`. No GC is forced.

            Before training: working set {MiB(baseline.WorkingSetBytes)} MiB. After training (before scoring): working set {MiB(afterTraining.WorkingSetBytes)} MiB, GC heap {MiB(afterTraining.GcHeapBytes)} MiB, {afterTraining.LiveTensors} live tensors.

            """);
        var table = new MarkdownTable("rows scored", "working set (MiB)", "private (MiB)", "GC heap (MiB)", "managed (MiB)", "live tensors", "GC gen0/1/2", "rows/s so far");
        foreach (var r in readings)
            table.Add(r.Rows.ToString("N0"), MiB(r.WorkingSetBytes), MiB(r.PrivateBytes), MiB(r.GcHeapBytes), MiB(r.ManagedLiveBytes), r.LiveTensors.ToString(),
                $"{r.Gen0}/{r.Gen1}/{r.Gen2}", r.Rows == 0 ? "-" : (r.Rows / r.Seconds).ToString("N0"));
        sb.AppendLine(table.ToString());
        var first = readings.Count > 1 ? readings[1] : readings[0];
        var last = readings[^1];
        sb.AppendLine($"Throughput: {rows / seconds:N0} rows/s ({seconds:F1} s for {rows:N0} rows). Working set change from {first.Rows:N0} to {last.Rows:N0} rows: {(last.WorkingSetBytes - first.WorkingSetBytes) / 1048576.0:+0.0;-0.0} MiB; live tensors {first.LiveTensors} -> {last.LiveTensors}.");
        return sb.ToString();
    }
}
