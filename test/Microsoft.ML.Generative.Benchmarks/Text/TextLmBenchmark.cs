using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// Character language modelling on tiny-shakespeare, the plain hand-written loop against the library's Fit side by
/// side: for every budget (and cell type) a fresh run of each, with the same recipe (<see cref="CharLmRecipe"/>), each
/// with a cosine schedule over its own budget, model selection on the validation text and the figure reported on the
/// test text (<see cref="TinyShakespeare"/>), all scored by the same <see cref="CharLmValidation"/> protocol. Add-k
/// n-gram baselines for orientation.
/// </summary>
internal static class TextLmBenchmark
{
    private static readonly string[] KnownMethods = { "ngram", "plain", "fit" };

    public static void Run(CommandArguments commandLine)
    {
        commandLine.RejectRetired("minutes", "use --budgets (one fresh run per budget for each side) or --fit-only-budgets.");
        commandLine.RejectRetired("checkpoints", "every budget is now its own run; use --budgets.");
        commandLine.RejectRetired("lstm", "use --plain \"Name=Value;...\" (CharLmRecipe) and --cells lstm.");
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        var methods = commandLine.List("methods", KnownMethods);
        if (methods.Except(KnownMethods).FirstOrDefault() is string unknown)
            throw new ArgumentException($"Unknown method '{unknown}'; use ngram, plain, fit (lstm and charrnn are now plain and fit).");
        var plan = ComparisonPlan.Parse(commandLine, new double[] { 5, 10, 30 }, Array.Empty<double>(), methods.Contains("plain"), methods.Contains("fit"));
        var cells = commandLine.List("cells", "gru").Select(c => Enum.TryParse<CharRnnCellType>(c, ignoreCase: true, out var t) && t != CharRnnCellType.Vanilla
            ? t : throw new ArgumentException($"--cells: '{c}' is not lstm or gru.")).Distinct().ToArray();
        int[] orders = commandLine.Ints("ngram-orders", 1, 2, 3, 5);
        double k = commandLine.Double("k", TextAnomalyBenchmark.DefaultK);
        int seed = commandLine.Int("seed", 0);
        int sampleLength = commandLine.Int("sample-length", 300);
        double temperature = commandLine.Double("temperature", 0.8);
        var recipeOverrides = OptionOverrides.Parse<CharLmRecipe>(commandLine.String("recipe"));
        var plainOverrides = OptionOverrides.Parse<CharLmRecipe>(commandLine.String("plain"));
        var fitOverrides = OptionOverrides.Parse<CharRnnOptions>(commandLine.String("charrnn"));
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        if (!(temperature > 0)) throw new ArgumentException("--temperature must be positive.");

        var data = TinyShakespeare.Load(dataDirectory);
        var selection = new CharLmValidation(data.Validation);
        var test = new CharLmValidation(data.Test);
        var sb = new StringBuilder(RunEnvironment.Header("tiny-shakespeare: the plain loop and Fit side by side (test nats/char)", commandLine));
        sb.AppendLine($"""
            Data: {data.Describe()}.

            Protocol (`CharLmValidation`), on the test text: {test.Describe()}. The same windowing of the validation text ({selection.Windows.Count} windows) is the plain loop's model-selection score. Lower is better; bits/char = nats/char / ln 2. Orientation from the data folder's README (measured there on the last 10%): uniform 4.17, unigram 3.35, bigram 2.48, 5-gram about 1.77.

            """);
        var wall = Stopwatch.StartNew();
        if (methods.Contains("ngram")) AppendNGrams(sb, data, test, orders, k);
        if (plan.RunsPlain || plan.RunsFit)
            AppendComparison(sb, plan, cells, data, selection, test, seed, recipeOverrides, plainOverrides, fitOverrides, sampleLength, temperature);
        sb.AppendLine($"Whole run: {wall.Elapsed.TotalMinutes:F1} min.");
        Console.WriteLine(sb.ToString());
    }

    private static void AppendNGrams(StringBuilder sb, TinyShakespeare data, CharLmValidation test, int[] orders, double k)
    {
        var table = new MarkdownTable("model", "V", "test nats/char", "bits/char", "train + score seconds");
        foreach (int n in orders)
        {
            var clock = Stopwatch.StartNew();
            var model = CharNGramModel.TrainOnText(data.Train, n, k);
            var score = test.Evaluate(model);
            clock.Stop();
            Console.Error.WriteLine($"{model.Name}: {score.NatsPerChar:F4} nats/char ({clock.Elapsed.TotalSeconds:F1}s)");
            table.Add($"char {model.Name}", model.VocabularySize.ToString(CultureInfo.InvariantCulture), F3(score.NatsPerChar), F3(score.BitsPerChar),
                clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        }
        sb.AppendLine($"N-gram baselines (add-k, no back-off, k = {k.ToString("0.###", CultureInfo.InvariantCulture)}; trained on the training text; V = training characters + 1 shared symbol for unseen ones; each window scored from its own characters only, begin-padded, so the 64-character context covers every n-gram context):").AppendLine();
        sb.AppendLine(table.ToString());
    }

    private static void AppendComparison(StringBuilder sb, ComparisonPlan plan, CharRnnCellType[] cells, TinyShakespeare data,
        CharLmValidation selection, CharLmValidation test, int seed, IReadOnlyList<(PropertyInfo, object)> recipeOverrides,
        IReadOnlyList<(PropertyInfo, object)> plainOverrides, IReadOnlyList<(PropertyInfo, object)> fitOverrides, int sampleLength, double temperature)
    {
        CharLmRecipe Recipe(CharRnnCellType cell, bool plain)
        {
            var r = new CharLmRecipe();
            OptionOverrides.Apply(r, recipeOverrides);
            r.Cell = cell;
            if (plain) OptionOverrides.Apply(r, plainOverrides);
            return r;
        }

        Console.Error.WriteLine($"{plan.Describe()} Cells: {string.Join(", ", cells)}; at least {plan.TotalBudgetMinutes(cells.Length):F0} min.");
        var table = new MarkdownTable("budget (min)", "cell", "side", "order", "started", "epochs", "best epoch", "chars/s (training)",
            "validation nats/char (selection)", "**test nats/char**", "test bits/char", "run min");
        var summary = new ComparisonSummary();
        var samples = new Dictionary<(ComparisonSide, CharRnnCellType), (double minutes, string text)>();
        var recipes = new Dictionary<(ComparisonSide, CharRnnCellType), string>();
        foreach (var run in plan.Runs(cells))
        {
            ComparisonPlan.Settle();
            string started = DateTime.Now.ToString("HH:mm", CultureInfo.InvariantCulture);
            string budget = run.Minutes.ToString("0.##", CultureInfo.InvariantCulture);
            string cellName = run.Variant.ToString().ToUpperInvariant();
            Console.Error.WriteLine($"[{started}] {run.Side} {cellName}, {budget} min ({run.PositionText})");
            var clock = Stopwatch.StartNew();
            CharLmScore score;
            string[] measured;
            string sample = null;
            if (run.Side == ComparisonSide.Plain)
            {
                var recipe = Recipe(run.Variant, plain: true);
                var outcome = PlainCharRnnTraining.Run(data.Train, selection, recipe, run.Minutes, seed, line => Console.Error.WriteLine($"  plain {cellName}: {line}"));
                using var scorer = outcome.Scorer;
                clock.Stop();
                recipes[(run.Side, run.Variant)] = $"{recipe.Describe()}; {outcome.Parameters:N0} parameters (`{OptionOverrides.DescribeAll(recipe)}`)";
                score = test.Evaluate(scorer);
                if (sampleLength > 0) sample = scorer.Sample("\n", sampleLength, temperature, seed);
                measured = new[] { outcome.Epochs.ToString(CultureInfo.InvariantCulture), outcome.BestEpoch.ToString(CultureInfo.InvariantCulture),
                    outcome.CharsPerSecond.ToString("N0", CultureInfo.InvariantCulture), F3(outcome.BestValidationNatsPerChar) };
            }
            else
            {
                var options = CharRnnLanguageModelRun.Options(Recipe(run.Variant, plain: false), run.Minutes, seed);
                OptionOverrides.Apply(options, fitOverrides);
                var ml = new MLContext(seed);
                TrainingLog.Attach(ml);
                using var model = CharRnnLanguageModelRun.Train(data, options, ml);
                clock.Stop();
                recipes[(run.Side, run.Variant)] = $"`{OptionOverrides.DescribeAll(options)}` (MaxTrainingTime is each run's budget)";
                score = test.Evaluate(CharRnnLanguageModelRun.Scorer(model, "char-RNN (ours)"));
                if (sampleLength > 0) sample = model.Generate("\n", sampleLength, (float)temperature, seed);
                var s = model.TrainingSummary;
                double trained = s.History.Sum(h => h.ItemsPerSecond * h.Seconds), seconds = s.History.Sum(h => h.Seconds);
                measured = new[] { s.History.Count.ToString(CultureInfo.InvariantCulture), s.BestEpoch.ToString(CultureInfo.InvariantCulture),
                    (trained / Math.Max(seconds, 1e-9)).ToString("N0", CultureInfo.InvariantCulture), s.BestLoss is double b ? F3(b) + "*" : "-" };
            }
            summary.Add(run, cellName, score.NatsPerChar);
            if (sample is not null && (!samples.TryGetValue((run.Side, run.Variant), out var kept) || run.Minutes >= kept.minutes))
                samples[(run.Side, run.Variant)] = (run.Minutes, sample);
            var row = new[] { budget, cellName, run.Side == ComparisonSide.Plain ? "plain loop" : "Fit", run.PositionText, started }
                .Concat(measured)
                .Concat(new[] { $"**{F3(score.NatsPerChar)}**", F3(score.BitsPerChar), clock.Elapsed.TotalMinutes.ToString("F2", CultureInfo.InvariantCulture) })
                .ToArray();
            table.Add(row);
            // At once, so that a long run that is cut short still leaves its finished budgets.
            Console.Error.WriteLine($"| {string.Join(" | ", row)} |");
        }

        sb.AppendLine(plan.Describe() + $" Cells: {string.Join(", ", cells.Select(c => c.ToString().ToUpperInvariant()))}; seed {seed} on both sides.").AppendLine();
        sb.AppendLine(summary.ToTable("test nats/char", "cell").ToString());
        sb.AppendLine(table.ToString());
        sb.AppendLine("""
            - *Validation nats/char (selection)*: what each side picked its kept weights by, on the validation text. Plain loop: the windows protocol above. Fit (marked *): its own held-out loss (the validation lines read as one stream, state carried), so the two columns are not the same measure; the test column is.
            - *chars/s (training)*: characters per second of training steps, validation excluded. *run min*: wall time of the training run (its budget includes its validation passes), before scoring the test text.

            """);
        foreach (var ((side, cell), text) in recipes.OrderBy(r => r.Key.Item2).ThenBy(r => r.Key.Item1))
            sb.AppendLine(side == ComparisonSide.Plain
                ? $"- Plain loop, {cell.ToString().ToUpperInvariant()} (hand-written TorchSharp, `PlainCharRnnTraining`): {text}. Truncated BPTT over contiguous segments, state carried (detached) between steps and reset each epoch, random start offset per epoch; AdamW with cosine decay to 0 over the wall-clock budget (validation included, as Fit's MaxTrainingTime); validation after every epoch and when the budget ends; the best weights kept."
                : $"- Fit, {cell.ToString().ToUpperInvariant()} (`ml.Generative().CharRnn(options)`, Stream mode, training then validation lines, the validation lines held out): {text}.");
        var changes = new[] { ("both sides", recipeOverrides), ("plain loop only", plainOverrides), ("Fit only", fitOverrides) }
            .Where(c => c.Item2.Count > 0).Select(c => $"{c.Item1} `{OptionOverrides.Describe(c.Item2)}`").ToArray();
        if (changes.Length > 0)
            sb.AppendLine($"- **Changed from the documented recipe:** {string.Join("; ", changes)}.");
        sb.AppendLine();
        foreach (var ((side, cell), (minutes, text)) in samples.OrderBy(s => s.Key.Item2).ThenBy(s => s.Key.Item1))
        {
            sb.AppendLine($"Sample, {(side == ComparisonSide.Plain ? "plain loop" : "Fit")} {cell.ToString().ToUpperInvariant()} after {minutes.ToString("0.##", CultureInfo.InvariantCulture)} min ({sampleLength} characters after a newline, temperature {temperature.ToString(CultureInfo.InvariantCulture)}, seed {seed}):").AppendLine();
            sb.AppendLine("```").AppendLine(text.TrimEnd('\n')).AppendLine("```").AppendLine();
        }
    }

    private static string F3(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
}
