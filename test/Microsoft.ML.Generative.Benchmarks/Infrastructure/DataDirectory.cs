namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// Finds the shared data folder: --data &lt;dir&gt; when given, otherwise ../shared/data next to the repository root
/// (the folder holding Generative.sln), found by walking up from the application's base directory.
/// Data is never copied into the repository.
/// </summary>
internal static class DataDirectory
{
    public static string Locate(string explicitDirectory)
    {
        if (explicitDirectory is not null)
        {
            if (!Directory.Exists(explicitDirectory))
                throw new DirectoryNotFoundException($"--data {explicitDirectory}: no such directory.");
            return Path.GetFullPath(explicitDirectory);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Generative.sln"))) continue;
            string data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            if (Directory.Exists(data)) return data;
            throw new DirectoryNotFoundException($"The repository root is {dir.FullName} but {data} does not exist; pass --data <dir>.");
        }
        throw new DirectoryNotFoundException($"No Generative.sln above {AppContext.BaseDirectory}; pass --data <dir> (the shared data folder).");
    }
}
