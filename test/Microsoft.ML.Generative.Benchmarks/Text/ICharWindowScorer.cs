namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A trained character language model as the validation protocol (<see cref="CharLmValidation"/>) sees it: it scores
/// fixed-length windows of text, each fed from the model's fresh (zero) state, and returns the negative
/// log-likelihood of the window's characters after the context prefix.
/// </summary>
/// <remarks>
/// This is the plug-in point for the library's character RNN: train it however it trains (its own loop and time
/// budget), then wrap its scoring in a <see cref="DelegateCharWindowScorer"/> and pass it to
/// <see cref="CharLmValidation.Evaluate"/>. The hand-written LSTM / GRU (<see cref="PlainCharRnnScorer"/>) and the n-gram
/// baseline (<see cref="CharNGramModel"/>) implement the same interface, so all three are measured identically.
/// </remarks>
internal interface ICharWindowScorer
{
    /// <summary>Name shown in the reports.</summary>
    string Name { get; }

    /// <summary>
    /// For every window w (all of the same length), the sum over i in [<paramref name="contextLength"/>, |w|) of
    /// -ln p(w[i] | w[0..i-1]) in nats, with the model started from its fresh state before w[0]. Characters before
    /// <paramref name="contextLength"/> are fed but not scored. The windows are independent: no state may pass from one
    /// to the next.
    /// </summary>
    double[] NegativeLogLikelihoods(IReadOnlyList<string> windows, int contextLength);
}

/// <summary>An <see cref="ICharWindowScorer"/> made from a delegate.</summary>
internal sealed class DelegateCharWindowScorer : ICharWindowScorer
{
    private readonly Func<IReadOnlyList<string>, int, double[]> _score;

    public DelegateCharWindowScorer(string name, Func<IReadOnlyList<string>, int, double[]> score)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _score = score ?? throw new ArgumentNullException(nameof(score));
    }

    public string Name { get; }

    public double[] NegativeLogLikelihoods(IReadOnlyList<string> windows, int contextLength) => _score(windows, contextLength);
}
