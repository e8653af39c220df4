namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// A character n-gram language model with add-k smoothing and no back-off, the baseline of the text benchmarks:
/// p(s | h) = (c(h, s) + k) / (c(h) + k V), where h is the n - 1 symbols before s, c counts training occurrences and
/// V is the vocabulary size: the distinct training characters, plus one symbol for every character not seen in
/// training (all unseen characters share it), plus the end-of-line symbol when trained on lines. Positions closer than
/// n - 1 to the start are padded with a begin symbol (never predicted, so not part of V). An unseen context gives the
/// uniform 1 / V.
/// </summary>
/// <remarks>
/// Two training modes: <see cref="TrainOnLines"/> (each line padded with n - 1 begin symbols and followed by an
/// end-of-line symbol, which is predicted and scored) and <see cref="TrainOnText"/> (one stream, newlines are ordinary
/// characters; the first n - 1 characters are predicted from begin padding like any other). Contexts are looked up
/// with spans, so scoring allocates nothing per character.
/// </remarks>
internal sealed class CharNGramModel : ICharWindowScorer
{
    /// <summary>Stands for every character not seen in training.</summary>
    public const char Unknown = '\u0001';

    /// <summary>Padding before the first character of a line, text or window.</summary>
    public const char Begin = '\u0002';

    /// <summary>The end-of-line symbol of line mode.</summary>
    public const char EndOfLine = '\u0003';

    private readonly Dictionary<string, int> _contextCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ngramCounts = new(StringComparer.Ordinal);
    private readonly HashSet<char> _seen = new();

    private CharNGramModel(int order, double k)
    {
        if (order < 1) throw new ArgumentException("The n-gram order must be at least 1.");
        if (!(k > 0)) throw new ArgumentException("The add-k constant must be positive (k = 0 gives zero probabilities).");
        Order = order;
        K = k;
    }

    /// <summary>n: the number of symbols of an n-gram (the context is n - 1 symbols).</summary>
    public int Order { get; }

    /// <summary>The add-k smoothing constant.</summary>
    public double K { get; }

    /// <summary>V, the number of symbols the probabilities are normalised over.</summary>
    public int VocabularySize { get; private set; }

    public string Name => $"{Order}-gram, add-k {K:0.###}";

    /// <summary>A model of lines: every line is a sequence ending in <see cref="EndOfLine"/>.</summary>
    public static CharNGramModel TrainOnLines(IEnumerable<string> lines, int order, double k)
    {
        var model = new CharNGramModel(order, k);
        foreach (string line in lines) model.Count(Padded(line, order, endOfLine: true), endOfLine: true);
        model.VocabularySize = model._seen.Count + 2; // + unknown + end of line
        return model;
    }

    /// <summary>A model of one continuous text.</summary>
    public static CharNGramModel TrainOnText(string text, int order, double k)
    {
        var model = new CharNGramModel(order, k);
        model.Count(Padded(text, order, endOfLine: false), endOfLine: false);
        model.VocabularySize = model._seen.Count + 1; // + unknown
        return model;
    }

    /// <summary>The protocol's line score: mean -ln p over the line's characters and its end-of-line symbol, in nats.</summary>
    public double MeanNegativeLogLikelihoodOfLine(string line)
    {
        string padded = Padded(Map(line), Order, endOfLine: true);
        return SumNegativeLogLikelihood(padded, Order - 1) / (line.Length + 1);
    }

    public double[] NegativeLogLikelihoods(IReadOnlyList<string> windows, int contextLength)
    {
        var result = new double[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            // Padding shifts every position by n - 1; the first scored symbol moves with it.
            string padded = Padded(Map(windows[w]), Order, endOfLine: false);
            result[w] = SumNegativeLogLikelihood(padded, Order - 1 + contextLength);
        }
        return result;
    }

    /// <summary>-ln p of padded[from..] given the n - 1 symbols before each.</summary>
    private double SumNegativeLogLikelihood(string padded, int from)
    {
        var contexts = _contextCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        var ngrams = _ngramCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        double sum = 0, kV = K * VocabularySize;
        for (int i = from; i < padded.Length; i++)
        {
            var ngram = padded.AsSpan(i - Order + 1, Order);
            contexts.TryGetValue(ngram[..^1], out int contextCount);
            ngrams.TryGetValue(ngram, out int count);
            sum -= Math.Log((count + K) / (contextCount + kV));
        }
        return sum;
    }

    /// <summary>Counts every n-gram of a padded sequence; with <paramref name="endOfLine"/> its last symbol is the end-of-line symbol.</summary>
    private void Count(string padded, bool endOfLine)
    {
        var contexts = _contextCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        var ngrams = _ngramCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int i = Order - 1; i < padded.Length; i++)
        {
            char c = padded[i];
            bool isEndOfLine = endOfLine && i == padded.Length - 1;
            if (!isEndOfLine && c is Unknown or Begin or EndOfLine)
                throw new ArgumentException($"The training text contains the reserved control character U+{(int)c:X4}.");
            if (!isEndOfLine) _seen.Add(c);
            var ngram = padded.AsSpan(i - Order + 1, Order);
            contexts[ngram[..^1]] = contexts.TryGetValue(ngram[..^1], out int n) ? n + 1 : 1;
            ngrams[ngram] = ngrams.TryGetValue(ngram, out int m) ? m + 1 : 1;
        }
    }

    /// <summary>Replaces characters not seen in training (including reserved ones) by <see cref="Unknown"/>.</summary>
    private string Map(string text)
    {
        foreach (char c in text)
            if (!_seen.Contains(c)) return string.Create(text.Length, (text, _seen), static (span, state) =>
            {
                for (int i = 0; i < span.Length; i++) span[i] = state._seen.Contains(state.text[i]) ? state.text[i] : Unknown;
            });
        return text;
    }

    private static string Padded(string text, int order, bool endOfLine)
        => new string(Begin, order - 1) + text + (endOfLine ? EndOfLine.ToString() : "");
}
