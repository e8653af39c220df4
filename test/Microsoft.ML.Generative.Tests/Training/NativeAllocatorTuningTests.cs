using System.Runtime.InteropServices;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Training;

/// <summary>
/// Runs <see cref="NativeAllocatorTuningTests"/> alone, after the parallel tests: its page-fault count depends on which
/// malloc arena the measuring thread gets, and other tests allocating in the same arena at the same time can make it
/// grow a second heap, which glibc unmaps whenever it empties (whatever the trim threshold). Seen once in CI with two
/// libtorch threads: 204,900 faults, a third of the untuned count.
/// </summary>
[CollectionDefinition(nameof(NativeAllocatorTuningTests), DisableParallelization = true)]
public sealed class AllocatorMeasurementCollection
{
}

/// <summary>
/// The glibc allocator settings Fit applies (NativeAllocatorTuning): they take effect, and they stop the page faults
/// that a fresh memory mapping for every large block costs.
/// </summary>
[Collection(nameof(NativeAllocatorTuningTests))]
public class NativeAllocatorTuningTests
{
    private static bool EnvironmentSetsMallocTunables()
        => (Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "").Contains("glibc.malloc.")
           || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
           || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null;

    /// <summary>Minor page faults of the calling thread so far (/proc/thread-self/stat, field 10): other tests run in parallel.</summary>
    private static long MinorPageFaultsOfThisThread()
    {
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields[0] is field 3 (state)
        return long.Parse(fields[10 - 3]);
    }

    [Fact]
    public void OnGlibcLargeBlocksReuseHeapMemoryInsteadOfFaultingOnNewMappings()
    {
        bool expected = OperatingSystem.IsLinux() && File.Exists("/proc/thread-self/stat") && !EnvironmentSetsMallocTunables();
        Assert.Equal(expected, NativeAllocatorTuning.Apply());
        if (!expected) return; // the settings are for glibc without the user's own malloc settings

        // The pattern of a training step, on malloc itself (which libtorch's CPU tensors come from): six live 4 MB
        // blocks, every page written, then all freed, 100 times, on this thread. With glibc's defaults the freed 24 MB
        // at the top of the heap exceed its trim threshold (twice the largest block it has seen mapped) and go back to
        // the system, to be faulted in again next round: about 100 x 6 x 1,024 faults. Kept in the heap, they fault once.
        const int rounds = 100, live = 6, pages = 1024, pageSize = 4096;
        void Round()
        {
            var blocks = new IntPtr[live];
            for (int b = 0; b < live; b++)
            {
                blocks[b] = Marshal.AllocHGlobal(pages * pageSize); // malloc on Unix
                for (int p = 0; p < pages; p++) Marshal.WriteByte(blocks[b], p * pageSize, 1);
            }
            for (int b = 0; b < live; b++) Marshal.FreeHGlobal(blocks[b]);
        }
        // On a thread of its own, which gets an arena of its own while glibc has fewer than 8 per core, instead of a
        // test-runner thread whose arena earlier tests have filled and fragmented.
        long faults = -1;
        var measuring = new Thread(() =>
        {
            Round();
            long before = MinorPageFaultsOfThisThread();
            for (int i = 0; i < rounds; i++) Round();
            faults = MinorPageFaultsOfThisThread() - before;
        });
        measuring.Start();
        measuring.Join();
        Assert.True(faults < rounds * live * pages / 10, $"{faults} minor page faults for {rounds} rounds of {live} live 4 MB blocks");
    }
}
