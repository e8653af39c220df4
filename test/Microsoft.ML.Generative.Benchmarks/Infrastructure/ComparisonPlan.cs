using System.Globalization;
using Microsoft.ML.Generative.Benchmarks.Text;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>The two sides of an "ours vs a plain hand-written loop" comparison.</summary>
internal enum ComparisonSide
{
    /// <summary>The hand-written TorchSharp loop, independent of the library's training code.</summary>
    Plain,

    /// <summary>The library's estimator (<c>Fit</c>).</summary>
    Fit,
}

/// <summary>Which side starts each budget's pair of runs.</summary>
internal enum RunOrder
{
    /// <summary>
    /// Plain first in the 1st, 3rd, ... budget, Fit first in the 2nd, 4th, ..., and the other way round for the next
    /// variant: slow drifts of the machine hit both sides alike, for every variant.
    /// </summary>
    Alternate,
    PlainFirst,
    FitFirst,
}

/// <summary>One fresh training run of a comparison.</summary>
/// <param name="Position">1 or 2 within its budget's pair; 0 for a run without a partner (a Fit-only budget).</param>
internal sealed record PlannedRun<TVariant>(double Minutes, TVariant Variant, ComparisonSide Side, int Position)
{
    public string PositionText => Position == 0 ? "alone" : Position == 1 ? "1st" : "2nd";
}

/// <summary>
/// The runs of one side-by-side command: for every budget in <c>--budgets</c> (and every variant, e.g. cell type) a
/// fresh plain run and a fresh Fit run, each with its own schedule over that budget, in the order <c>--order</c> says;
/// then a Fit run for every budget in <c>--fit-only-budgets</c>. Both sides run in this process, so they share the
/// machine, <c>--threads</c> and the allocator settings applied at start-up.
/// </summary>
internal sealed class ComparisonPlan
{
    private ComparisonPlan(double[] budgets, double[] fitOnlyBudgets, RunOrder order, bool plain, bool fit)
    {
        Budgets = budgets;
        FitOnlyBudgets = fitOnlyBudgets;
        Order = order;
        RunsPlain = plain;
        RunsFit = fit;
    }

    public IReadOnlyList<double> Budgets { get; }
    public IReadOnlyList<double> FitOnlyBudgets { get; }
    public RunOrder Order { get; }
    public bool RunsPlain { get; }
    public bool RunsFit { get; }

    /// <summary>Reads <c>--budgets</c>, <c>--fit-only-budgets</c> and <c>--order</c> (minutes, comma-separated).</summary>
    /// <param name="plain">Whether the plain side is wanted (the command's --methods).</param>
    /// <param name="fit">Whether the Fit side is wanted.</param>
    public static ComparisonPlan Parse(CommandArguments commandLine, double[] defaultBudgets, double[] defaultFitOnlyBudgets, bool plain, bool fit)
    {
        double[] budgets = commandLine.Doubles("budgets", defaultBudgets);
        // The default Fit-only budgets apply only when Fit runs; given explicitly without Fit, they are an error below.
        double[] fitOnly = commandLine.Doubles("fit-only-budgets", fit ? defaultFitOnlyBudgets : Array.Empty<double>());
        string orderText = commandLine.String("order", "alternate");
        var order = orderText.ToLowerInvariant() switch
        {
            "alternate" => RunOrder.Alternate,
            "plain-first" => RunOrder.PlainFirst,
            "fit-first" => RunOrder.FitFirst,
            _ => throw new ArgumentException($"--order {orderText}: use alternate, plain-first or fit-first."),
        };
        if (budgets.Concat(fitOnly).Any(m => !(m > 0)))
            throw new ArgumentException("--budgets and --fit-only-budgets must be positive numbers of minutes.");
        if (fitOnly.Length > 0 && !fit)
            throw new ArgumentException("--fit-only-budgets needs the fit method.");
        return new ComparisonPlan(budgets, fitOnly, order, plain, fit);
    }

    /// <summary>The runs in execution order: budgets in the given order, variants inside each budget.</summary>
    public IEnumerable<PlannedRun<TVariant>> Runs<TVariant>(IReadOnlyList<TVariant> variants)
    {
        if (!RunsPlain && !RunsFit) yield break;
        for (int b = 0; b < Budgets.Count; b++)
            for (int v = 0; v < variants.Count; v++)
            {
                double minutes = Budgets[b];
                var variant = variants[v];
                bool plainFirst = Order == RunOrder.PlainFirst || (Order == RunOrder.Alternate && (b + v) % 2 == 0);
                if (RunsPlain && RunsFit)
                {
                    var first = plainFirst ? ComparisonSide.Plain : ComparisonSide.Fit;
                    yield return new PlannedRun<TVariant>(minutes, variant, first, 1);
                    yield return new PlannedRun<TVariant>(minutes, variant, Other(first), 2);
                }
                else
                    yield return new PlannedRun<TVariant>(minutes, variant, RunsPlain ? ComparisonSide.Plain : ComparisonSide.Fit, 0);
            }
        foreach (double minutes in FitOnlyBudgets)
            foreach (var variant in variants)
                yield return new PlannedRun<TVariant>(minutes, variant, ComparisonSide.Fit, 0);
    }

    /// <summary>Sum of all budgets: a lower bound on the command's duration (evaluation comes on top).</summary>
    public double TotalBudgetMinutes(int variants)
        => variants * (Budgets.Sum() * ((RunsPlain ? 1 : 0) + (RunsFit ? 1 : 0)) + FitOnlyBudgets.Sum());

    /// <summary>One paragraph for the report: what was run, in what order, under which shared settings.</summary>
    public string Describe()
    {
        string order = Order switch
        {
            RunOrder.Alternate => "alternating which side goes first (the plain loop first for the 1st, 3rd, ... budget of the 1st variant, Fit first for the 2nd, 4th, ...; the other way round for the 2nd variant)",
            RunOrder.PlainFirst => "the plain loop first in every pair",
            _ => "Fit first in every pair",
        };
        string sides = RunsPlain && RunsFit ? $"a fresh run of the plain loop and a fresh `Fit`, {order}" : RunsPlain ? "a fresh run of the plain loop" : "a fresh `Fit`";
        string fitOnly = FitOnlyBudgets.Count > 0 ? $" Fit alone for {Minutes(FitOnlyBudgets)} min." : "";
        return $"Budgets {Minutes(Budgets)} min: for each, {sides}; each run has its own schedule over its own budget.{fitOnly} " +
            "Both sides run in this one process, one after the other, with the same intra-op thread count and the glibc allocator tuning applied at start-up.";
    }

    /// <summary>"5, 10, 30" in the invariant culture.</summary>
    public static string Minutes(IEnumerable<double> minutes) => string.Join(", ", minutes.Select(m => m.ToString("0.##", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Frees what the previous run left to finalizers (tensors outside dispose scopes) before the next starts, so
    /// neither side inherits the other's garbage.
    /// </summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static ComparisonSide Other(ComparisonSide side) => side == ComparisonSide.Plain ? ComparisonSide.Fit : ComparisonSide.Plain;
}
