namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A second feature source for the featurization protocol (<see cref="TextFeaturesBenchmark"/>): a float vector per
/// text, which the protocol puts in an "Embedding" column and compares alone and concatenated with ML.NET's
/// FeaturizeText. The source may fit itself on the training texts (never their labels) first.
/// </summary>
/// <remarks>
/// This is the plug-in point for the library's character RNN as a featurizer (e.g. its mean hidden state, or its
/// per-character negative log-likelihood statistics): wrap it in a <see cref="DelegateTextEmbeddingSource"/> and add it
/// to <see cref="TextFeaturesBenchmark.EmbeddingSources"/>.
/// </remarks>
internal interface ITextEmbeddingSource
{
    /// <summary>Short name used with --embeddings.</summary>
    string Key { get; }

    /// <summary>Name shown in the reports.</summary>
    string Name { get; }

    /// <summary>Fits on the texts of the training file (unlabelled) and returns the embedding function.</summary>
    /// <returns>A function giving every text a vector of the same length, all values finite.</returns>
    Func<string, float[]> Fit(IReadOnlyList<string> trainingTexts, int seed);
}

/// <summary>An <see cref="ITextEmbeddingSource"/> made from a delegate.</summary>
internal sealed class DelegateTextEmbeddingSource : ITextEmbeddingSource
{
    private readonly Func<IReadOnlyList<string>, int, Func<string, float[]>> _fit;

    public DelegateTextEmbeddingSource(string key, string name, Func<IReadOnlyList<string>, int, Func<string, float[]>> fit)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _fit = fit ?? throw new ArgumentNullException(nameof(fit));
    }

    /// <summary>For a fixed (already trained, or rule-based) embedding that does not fit on the training texts.</summary>
    public DelegateTextEmbeddingSource(string key, string name, Func<string, float[]> embed)
        : this(key, name, (_, _) => embed)
    {
    }

    public string Key { get; }
    public string Name { get; }

    public Func<string, float[]> Fit(IReadOnlyList<string> trainingTexts, int seed) => _fit(trainingTexts, seed);
}
