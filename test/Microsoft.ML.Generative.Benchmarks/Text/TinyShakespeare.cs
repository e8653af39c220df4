namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// tiny-shakespeare (text/tinyshakespeare/input.txt, 1,115,394 characters) cut into three consecutive parts by
/// character position, the one definition every tiny-shakespeare benchmark uses:
/// <list type="bullet">
/// <item><see cref="Train"/>: the first 90% (floor(0.90 n) = 1,003,854 characters), the only text any model trains on;</item>
/// <item><see cref="Validation"/>: the next 5% (to floor(0.95 n); 55,770 characters), for model selection (best epoch,
/// early stopping) by the plain loop and by Fit alike;</item>
/// <item><see cref="Test"/>: the last 5% (55,770 characters), the reported figure, never seen during training or selection.</item>
/// </list>
/// Selecting on the reported text would flatter whichever side selects more often, so the two are kept apart.
/// </summary>
internal sealed record TinyShakespeare(string Path, string Train, string Validation, string Test)
{
    public const string RelativePath = "text/tinyshakespeare/input.txt";
    public const double TrainFraction = 0.90;
    public const double ValidationFraction = 0.05;

    public static TinyShakespeare Load(string dataDirectory)
    {
        string path = System.IO.Path.Combine(dataDirectory, RelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"tiny-shakespeare is not at {path} (expected in the shared data folder, see its README.md; --data <dir> to point elsewhere).", path);
        string text = File.ReadAllText(path);
        int trainEnd = (int)(TrainFraction * text.Length);
        int validationEnd = (int)((TrainFraction + ValidationFraction) * text.Length);
        return new TinyShakespeare(path, text[..trainEnd], text[trainEnd..validationEnd], text[validationEnd..]);
    }

    /// <summary>One sentence for reports.</summary>
    public string Describe()
        => $"`{RelativePath}` cut by character position: the first {100 * TrainFraction:F0}% for training ({Train.Length:N0} characters), " +
           $"the next {100 * ValidationFraction:F0}% for model selection by both sides ({Validation.Length:N0}), the last {100 - 100 * (TrainFraction + ValidationFraction):F0}% reported ({Test.Length:N0}; never used for training or selection)";
}
