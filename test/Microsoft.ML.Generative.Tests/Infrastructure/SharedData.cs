using Xunit;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Locates ../shared/data next to the repository (see ../shared/data/README.md).</summary>
public static class SharedData
{
    /// <summary>The repository root: the nearest ancestor of the test assembly holding Generative.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Generative.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException($"Generative.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The shared data folder; fails the test (never silently passes) when it is absent.</summary>
    public static string Root
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
            Assert.True(Directory.Exists(path), $"Shared data folder not found at {path}; the tests expect ../shared/data beside the repository.");
            return path;
        }
    }

    /// <summary>A file under the shared data folder.</summary>
    public static string File(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());
}
