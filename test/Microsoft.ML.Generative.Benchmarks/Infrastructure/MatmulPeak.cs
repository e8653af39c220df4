using System.Diagnostics;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>The float32 matmul throughput of this machine on the current threads: the peak the speed benchmarks compare their GFLOP/s with.</summary>
internal static class MatmulPeak
{
    /// <summary>GFLOP/s of 1024 x 1024 x 1024 products (3 warm-up, 20 timed).</summary>
    public static double Gflops()
    {
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++) a.matmul(b).sum().item<float>();
        var clock = Stopwatch.StartNew();
        const int repeats = 20;
        for (int i = 0; i < repeats; i++) a.matmul(b).sum().item<float>();
        return repeats * 2.0 * 1024 * 1024 * 1024 / clock.Elapsed.TotalSeconds / 1e9;
    }
}
