namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>
/// Where the repository is, for the tests that run another of its projects (the ModelHost app). Tests read no data
/// from outside the repository (../shared/data is for the benchmarks): their data is generated or embedded (TestData).
/// </summary>
public static class Repository
{
    /// <summary>The repository root: the nearest ancestor of the test assembly holding Generative.sln.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Generative.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException($"Generative.sln not found above {AppContext.BaseDirectory}.");
        }
    }
}
