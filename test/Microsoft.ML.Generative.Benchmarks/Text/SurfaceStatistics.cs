namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A deliberately simple, rule-based embedding (8 numbers of a text's surface) that exercises the second-feature-source
/// path of <see cref="TextFeaturesBenchmark"/> before the library's model exists; a plumbing check, not a method
/// to compare against. Components: ln(1 + characters), ln(1 + words), mean word length, and the fractions of
/// upper-case letters among letters, of '!', of other punctuation, of digits and of whitespace among characters.
/// </summary>
internal static class SurfaceStatistics
{
    public const int Dimension = 8;

    public static ITextEmbeddingSource Source { get; } = new DelegateTextEmbeddingSource(
        "surface", "surface statistics (8 numbers; plumbing check)", Embed);

    public static float[] Embed(string text)
    {
        text ??= "";
        int letters = 0, upper = 0, bang = 0, punctuation = 0, digits = 0, spaces = 0;
        foreach (char c in text)
        {
            if (char.IsLetter(c)) { letters++; if (char.IsUpper(c)) upper++; }
            else if (c == '!') bang++;
            else if (char.IsPunctuation(c) || char.IsSymbol(c)) punctuation++;
            else if (char.IsDigit(c)) digits++;
            else if (char.IsWhiteSpace(c)) spaces++;
        }
        var words = text.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
        float n = Math.Max(1, text.Length);
        return new[]
        {
            (float)Math.Log(1 + text.Length), (float)Math.Log(1 + words.Length), words.Length == 0 ? 0f : (float)words.Average(w => w.Length),
            upper / (float)Math.Max(1, letters), bang / n, punctuation / n, digits / n, spaces / n,
        };
    }
}
