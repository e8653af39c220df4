namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// tiny-shakespeare (text/tinyshakespeare/input.txt, 1,115,394 characters): the first 90% of the characters
/// (floor(0.9 n) = 1,003,854) are the training text, the rest (111,540) the validation text, as in nanoGPT.
/// </summary>
internal sealed record TinyShakespeare(string Path, string Train, string Validation)
{
    public const string RelativePath = "text/tinyshakespeare/input.txt";
    public const double TrainFraction = 0.9;

    public static TinyShakespeare Load(string dataDirectory)
    {
        string path = System.IO.Path.Combine(dataDirectory, RelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"tiny-shakespeare is not at {path} (expected in the shared data folder, see its README.md; --data <dir> to point elsewhere).", path);
        string text = File.ReadAllText(path);
        int split = (int)(TrainFraction * text.Length);
        return new TinyShakespeare(path, text[..split], text[split..]);
    }
}
