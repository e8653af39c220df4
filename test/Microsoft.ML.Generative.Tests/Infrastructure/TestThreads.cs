using System.Globalization;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>
/// The one thread count of the test run: every test that trains passes it as NumberOfThreads, and libtorch's
/// process-wide intra-op thread count is set to it when the test assembly loads, so the math tests run on it too.
/// Read from the environment variable GENERATIVE_TEST_THREADS (default 1): CI runs the suite unset and with 2.
/// Thresholds on trained models were sized on 1 and 2 threads.
/// </summary>
public static class TestThreads
{
    public const string VariableName = "GENERATIVE_TEST_THREADS";

    public static int Count { get; } = Read();

    private static int Read()
    {
        string value = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(value)) return 1;
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
            throw new InvalidOperationException($"{VariableName}='{value}': expected a whole number of threads, 1 or more.");
        return count;
    }

    /// <summary>
    /// The environment for a child process that loads libtorch (the ModelHost app): OMP_NUM_THREADS and
    /// MKL_NUM_THREADS, which libtorch reads for its default intra-op thread count, give it the same count as this
    /// process, so "scores bit-identically in a fresh process" compares the same computation.
    /// </summary>
    public static void PinChildProcess(System.Diagnostics.ProcessStartInfo start)
    {
        string count = Count.ToString(CultureInfo.InvariantCulture);
        start.Environment["OMP_NUM_THREADS"] = count;
        start.Environment["MKL_NUM_THREADS"] = count;
    }

#pragma warning disable CA2255 // a module initializer in a test assembly is the point: it runs before any test
    [ModuleInitializer]
    internal static void PinLibTorchThreads() => global::TorchSharp.torch.set_num_threads(Count);
#pragma warning restore CA2255
}
