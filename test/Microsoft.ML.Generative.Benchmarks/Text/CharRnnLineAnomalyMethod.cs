using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The library's char-RNN in the text anomaly protocol, through its public API only: Rows mode on the normal lines,
/// then <c>Transform</c> of all test lines at once (batched inside the cursor) and their <c>Score</c> column (mean
/// negative log-likelihood per character including the end-of-row symbol: the protocol's score).
/// </summary>
internal sealed class CharRnnLineAnomalyMethod : IBatchLineAnomalyMethod
{
    private readonly IReadOnlyList<(System.Reflection.PropertyInfo property, object value)> _overrides;

    /// <param name="overrides">CharRnnOptions settings changed from the library defaults ("Name=Value;...").</param>
    public CharRnnLineAnomalyMethod(string overrides, bool reverseLines = false)
    {
        _overrides = OptionOverrides.Parse<CharRnnOptions>(overrides);
        _reverse = reverseLines;
        Name = $"char-RNN (ours){(reverseLines ? ", reversed lines" : "")}, {OptionOverrides.Describe(_overrides)}";
    }

    private readonly bool _reverse;
    private string Prepare(string line) => _reverse ? new string(line.Reverse().ToArray()) : line;

    public string Key => "charrnn";
    public string Name { get; }

    public Func<IReadOnlyList<string>, double[]> TrainBatch(IReadOnlyList<string> normalLines, int seed)
    {
        var ml = new MLContext(seed);
        var options = new CharRnnOptions { TextColumnName = "Text", ContextMode = CharRnnContextMode.Rows, Seed = seed };
        OptionOverrides.Apply(options, _overrides);
        var model = ml.Generative().CharRnn(options).Fit(ml.Data.LoadFromEnumerable(normalLines.Select(l => new TextLine { Text = Prepare(l) }).ToList()));
        Console.Error.WriteLine($"  char-RNN: {model.TrainingSummary.History.Count} epochs, best {model.TrainingSummary.BestEpoch} ({model.TrainingSummary.BestLoss:F4} nats/char, {model.TrainingSummary.StopReason})");
        return lines =>
        {
            var scored = model.Transform(ml.Data.LoadFromEnumerable(lines.Select(l => new TextLine { Text = Prepare(l) }).ToList()));
            return scored.GetColumn<float>("Score").Select(s => (double)s).ToArray();
        };
    }

    public Func<string, double> Train(IReadOnlyList<string> normalLines, int seed)
    {
        var batch = TrainBatch(normalLines, seed);
        return line => batch(new[] { line })[0];
    }
}

/// <summary>A method that scores a whole set of lines in one call (each still on its own, from a fresh state).</summary>
internal interface IBatchLineAnomalyMethod : ILineAnomalyMethod
{
    /// <summary>Like <see cref="ILineAnomalyMethod.Train"/>, returning a scorer for many lines at once.</summary>
    Func<IReadOnlyList<string>, double[]> TrainBatch(IReadOnlyList<string> normalLines, int seed);
}
