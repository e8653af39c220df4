namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A method of the text anomaly protocol (<see cref="TextAnomalyBenchmark"/>): trained on normal lines only, it
/// returns a scorer for single lines whose score is higher for more anomalous lines. For a language model the
/// protocol's score is the mean negative log-likelihood per character of the line, in nats, counting one
/// end-of-line symbol (so an empty line still has one scored symbol); other scores are allowed, only their ranking
/// enters the ROC-AUC.
/// </summary>
/// <remarks>
/// This is the plug-in point for the library's character RNN: wrap its training and scoring in a
/// <see cref="DelegateLineAnomalyMethod"/> and add it to <see cref="TextAnomalyBenchmark.Methods"/>.
/// The scorer is called once per test line, from one thread; it may batch internally but must not look at other
/// test lines (each line is scored on its own, from a fresh state).
/// </remarks>
internal interface ILineAnomalyMethod
{
    /// <summary>Short name used on the command line and in the CSV-like per-seed output.</summary>
    string Key { get; }

    /// <summary>Name shown in the reports (include the settings that matter).</summary>
    string Name { get; }

    /// <summary>Trains on <paramref name="normalLines"/> (labels are not needed: every line is normal).</summary>
    /// <param name="normalLines">The normal messages of the training half, in file order.</param>
    /// <param name="seed">The split seed, for methods with randomness (initialisation, shuffling).</param>
    /// <returns>The line score: higher = more anomalous; must be finite.</returns>
    Func<string, double> Train(IReadOnlyList<string> normalLines, int seed);
}

/// <summary>An <see cref="ILineAnomalyMethod"/> made from a delegate, so a model can be plugged in with a few lines.</summary>
internal sealed class DelegateLineAnomalyMethod : ILineAnomalyMethod
{
    private readonly Func<IReadOnlyList<string>, int, Func<string, double>> _train;

    public DelegateLineAnomalyMethod(string key, string name, Func<IReadOnlyList<string>, int, Func<string, double>> train)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _train = train ?? throw new ArgumentNullException(nameof(train));
    }

    /// <summary>For methods without randomness (or that ignore the split seed).</summary>
    public DelegateLineAnomalyMethod(string key, string name, Func<IReadOnlyList<string>, Func<string, double>> train)
        : this(key, name, (lines, _) => train(lines))
    {
    }

    public string Key { get; }
    public string Name { get; }

    public Func<string, double> Train(IReadOnlyList<string> normalLines, int seed) => _train(normalLines, seed);
}
