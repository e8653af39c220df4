using System.Diagnostics;

namespace Microsoft.ML.Generative.Benchmarks.Memory;

/// <summary>One reading of the process's memory: resident set (includes libtorch's native allocations), GC heap, live tensors.</summary>
internal sealed record MemoryReading(long Rows, double Seconds, long WorkingSetBytes, long PrivateBytes, long GcHeapBytes, long ManagedLiveBytes, long LiveTensors, int Gen0, int Gen1, int Gen2)
{
    public static MemoryReading Take(long rows, double seconds)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new MemoryReading(rows, seconds, process.WorkingSet64, process.PrivateMemorySize64, GC.GetGCMemoryInfo().HeapSizeBytes,
            GC.GetTotalMemory(forceFullCollection: false), TorchSharp.torch.Tensor.TotalCount,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }
}
