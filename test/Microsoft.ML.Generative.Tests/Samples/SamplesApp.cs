using System.Diagnostics;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Samples;

/// <summary>
/// Runs the Samples console app (src/Samples, built with the tests) as its own process, as a user would: the exit
/// code, standard output and standard error are what the tests check. Output is redirected, so the app prints plain text.
/// </summary>
internal static class SamplesApp
{
    /// <summary>What one run of the app left behind.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>For assertion messages: everything the app printed.</summary>
        public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
    }

    /// <summary>Runs "Samples args..." in <paramref name="workingDirectory"/> and waits for it to end.</summary>
    public static Result Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(AppPath());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Colour and terminal detection must not depend on the machine running the tests.
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        // Both streams are read at once, so neither pipe can fill up and stall the app.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a hung process, not a speed check: the slowest run takes seconds.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Samples {string.Join(' ', args)} did not finish within 5 minutes.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>src/Samples/bin/(configuration)/net10.0/Samples.dll, built alongside the tests (a ProjectReference).</summary>
    private static string AppPath()
    {
        // test/Microsoft.ML.Generative.Tests/bin/<Configuration>/net10.0/ -> src/Samples/bin/<Configuration>/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(SharedData.RepositoryRoot, "src", "Samples", "bin", testBin.Parent!.Name, testBin.Name, "Samples.dll");
        Assert.True(File.Exists(path), $"The Samples app is not built at {path}.");
        return path;
    }
}
