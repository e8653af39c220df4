using System.Globalization;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>
/// The one-line-per-budget view of a comparison: the reported figure of the plain loop and of Fit side by side, and
/// their difference. A run without a partner (a Fit-only budget) gets its own row, with "-" for the other side.
/// </summary>
internal sealed class ComparisonSummary
{
    private readonly List<(double minutes, string variant, bool paired, ComparisonSide side, double value)> _results = new();

    public void Add<TVariant>(PlannedRun<TVariant> run, string variant, double value) => _results.Add((run.Minutes, variant, run.Position != 0, run.Side, value));

    /// <param name="quantity">The reported figure, e.g. "test nats/char".</param>
    /// <param name="variantName">Header of the variant column (e.g. "cell"), or null when there is one variant.</param>
    public MarkdownTable ToTable(string quantity, string variantName)
    {
        var header = new List<string> { "budget (min)" };
        if (variantName is not null) header.Add(variantName);
        header.AddRange(new[] { $"plain loop, {quantity}", $"Fit, {quantity}", "Fit - plain (< 0: Fit better)" });
        var table = new MarkdownTable(header.ToArray());
        foreach (var group in _results.GroupBy(r => (r.minutes, r.variant, r.paired)))
        {
            double? Value(ComparisonSide side) => group.Where(r => r.side == side).Select(r => (double?)r.value).LastOrDefault();
            double? plain = Value(ComparisonSide.Plain), fit = Value(ComparisonSide.Fit);
            var row = new List<string> { group.Key.minutes.ToString("0.##", CultureInfo.InvariantCulture) };
            if (variantName is not null) row.Add(group.Key.variant);
            row.Add(plain?.ToString("F3", CultureInfo.InvariantCulture) ?? "-");
            row.Add(fit?.ToString("F3", CultureInfo.InvariantCulture) ?? "-");
            row.Add(plain is double p && fit is double g ? (g - p).ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "-");
            table.Add(row.ToArray());
        }
        return table;
    }
}
