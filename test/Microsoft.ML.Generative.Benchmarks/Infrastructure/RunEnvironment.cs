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

            Environment: {Environment.ProcessorCount} logical cores{(cpu is null ? "" : $" ({cpu})")}, TorchSharp intra-op threads {get_num_threads()}, inter-op threads {get_num_interop_threads()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, TorchSharp {PackageVersion(typeof(TorchSharp.torch))}, ML.NET {PackageVersion(typeof(MLContext))}, load average at start {LoadAverage()}.

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
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
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
