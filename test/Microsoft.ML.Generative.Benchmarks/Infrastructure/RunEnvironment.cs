using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>The header every report starts with: how it was produced, when, and on what.</summary>
internal static class RunEnvironment
{
    public static string Header(string title, CommandArguments commandLine)
    {
        string cpu = CpuModel();
        return $"""
            ## {title}

            Produced by `{commandLine.Display()}` on {DateTime.Now:yyyy-MM-dd HH:mm} ({TimeZoneInfo.Local.Id}).

            Environment: {Environment.ProcessorCount} logical cores{(cpu is null ? "" : $" ({cpu})")}, TorchSharp intra-op threads {get_num_threads()}, inter-op threads {get_num_interop_threads()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, TorchSharp {PackageVersion(typeof(TorchSharp.torch))}, ML.NET {PackageVersion(typeof(MLContext))}, load average at start {LoadAverage()}, glibc malloc thresholds {(NativeAllocatorTuning.Applied ? "tuned (NativeAllocatorTuning)" : "default")}.

            """ + Environment.NewLine;
    }

    /// <summary>The informational (package) version of the assembly defining <paramref name="type"/>, without source-control suffix.</summary>
    private static string PackageVersion(Type type)
    {
        string v = type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
            ?? type.Assembly.GetName().Version?.ToString();
        return v?.Split('+')[0];
    }

    /// <summary>/proc/loadavg's 1-minute figure: other processes on the machine make timings noisy.</summary>
    public static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static string CpuModel()
    {
        try
        {
            // The family tells apart machines that share a model name (AMD EPYC family 25 "Zen 4", 26 "Zen 5").
            var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList();
            string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
            string model = Field("model name"), family = Field("cpu family");
            return model is null ? null : family is null ? model : $"{model}, family {family}";
        }
        catch (IOException) { return null; }
    }

    /// <summary>Sets TorchSharp's intra-op thread count when --threads is given.</summary>
    public static void ApplyThreads(CommandArguments commandLine)
    {
        int threads = commandLine.Int("threads", 0);
        if (threads > 0) set_num_threads(threads);
    }
}
