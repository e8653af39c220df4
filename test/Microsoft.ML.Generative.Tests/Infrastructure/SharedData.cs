namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>
/// Where the repository is, for the tests that run another of its projects (the ModelHost and Samples apps). The name
/// is historical: tests read no data from ../shared any more (that is for the benchmarks); their data is generated or
/// embedded in the test project (TestData).
/// </summary>
public static class SharedData
{
    /// <summary>The repository root: the nearest ancestor of the test assembly holding Generative.sln.</summary>
    public static string RepositoryRoot
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
