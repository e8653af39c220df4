using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Generative.Benchmarks.Anomaly;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The BGL log anomaly protocol: for every split seed, a stratified 50/50 split of the 2,000 labelled lines
/// (<see cref="StratifiedLineSplit"/>); every method is trained on the normal lines of the training half only and
/// scores every line of the test half (normal and alert); ROC-AUC of the score with alerts as positives
/// (<see cref="RocAuc"/>). Reported: mean ± std over seeds and every seed's AUC.
/// </summary>
internal static class TextAnomalyBenchmark
{
    public const double TrainFraction = 0.5;
    public const double DefaultK = 0.1;

    private sealed record Fit(string Method, int Seed, double Auc, double Seconds);

    /// <summary>
    /// The methods of a run: one add-k n-gram model per (order, k). To compare the library's character RNN, add e.g.
    /// <c>new DelegateLineAnomalyMethod("charrnn", "CharRnn (ours)", (lines, seed) =&gt; { var m = ...train on lines...; return line =&gt; m.MeanNll(line); })</c>.
    /// </summary>
    public static IReadOnlyList<ILineAnomalyMethod> Methods(IEnumerable<int> orders, IEnumerable<double> ks)
        => orders.SelectMany(n => ks.Select(k => (ILineAnomalyMethod)new DelegateLineAnomalyMethod(
            $"{n}-gram-k{k.ToString("0.###", CultureInfo.InvariantCulture)}", $"char {n}-gram, add-k {k.ToString("0.###", CultureInfo.InvariantCulture)}",
            lines => CharNGramModel.TrainOnLines(lines, n, k).MeanNegativeLogLikelihoodOfLine))).ToList();

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        int seedCount = commandLine.Int("seeds", 5), firstSeed = commandLine.Int("first-seed", 0);
        int[] orders = commandLine.Ints("orders", 3, 5);
        double[] ks = commandLine.Doubles("k", DefaultK);
        string[] include = (commandLine.String("methods") ?? "ngram,charrnn").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string charRnnOverrides = commandLine.String("charrnn") ?? "";
        string scoresOut = commandLine.String("scores-out");
        bool reverseLines = commandLine.Flag("reverse-lines");
        RunEnvironment.ApplyThreads(commandLine); // accepted like everywhere; only TorchSharp (not used here) reads it
        commandLine.ThrowOnUnknownOptions();
        if (seedCount < 1) throw new ArgumentException("--seeds must be at least 1.");
        if (orders.Any(n => n < 1 || n > 12)) throw new ArgumentException("--orders: n-gram orders must be in 1..12.");
        if (ks.Any(k => !(k > 0))) throw new ArgumentException("--k: the add-k constants must be positive.");

        var log = BglLog.Load(dataDirectory);
        var methods = new List<ILineAnomalyMethod>();
        if (include.Contains("ngram")) methods.AddRange(Methods(orders, ks));
        if (include.Contains("charrnn")) methods.Add(new CharRnnLineAnomalyMethod(charRnnOverrides, reverseLines));
        if (methods.Count == 0) throw new ArgumentException("--methods: expected ngram and/or charrnn.");
        string header = RunEnvironment.Header("BGL log anomaly detection (ROC-AUC)", commandLine);

        var fits = new List<Fit>();
        var splits = new List<(int seed, int trainNormals, int trainAlertsLeftOut, int testNormals, int testAlerts)>();
        var wall = Stopwatch.StartNew();
        using var scoreFile = scoresOut is null ? null : new StreamWriter(scoresOut);
        scoreFile?.WriteLine("seed\tmethod\tline\talert\tscore\tmessage");
        for (int seed = firstSeed; seed < firstSeed + seedCount; seed++)
        {
            var (train, test) = StratifiedLineSplit.Create(log.IsAlert, TrainFraction, seed);
            var normalLines = train.Where(i => !log.IsAlert[i]).Select(i => log.Messages[i]).ToArray();
            var testAlerts = test.Select(i => log.IsAlert[i]).ToArray();
            splits.Add((seed, normalLines.Length, train.Length - normalLines.Length, testAlerts.Count(a => !a), testAlerts.Count(a => a)));
            foreach (var method in methods)
            {
                var clock = Stopwatch.StartNew();
                var scores = new float[test.Length];
                Func<int, double> score;
                if (method is IBatchLineAnomalyMethod batch)
                {
                    var all = batch.TrainBatch(normalLines, seed)(test.Select(i => log.Messages[i]).ToArray());
                    score = t => all[t];
                }
                else
                {
                    var single = method.Train(normalLines, seed);
                    score = t => single(log.Messages[test[t]]);
                }
                for (int t = 0; t < test.Length; t++)
                {
                    double s = score(t);
                    if (!double.IsFinite(s)) throw new InvalidOperationException($"{method.Name} gave the non-finite score {s} to test line {test[t] + 1}.");
                    scores[t] = (float)s;
                    scoreFile?.WriteLine(string.Join('\t', seed, method.Key, test[t] + 1, testAlerts[t] ? 1 : 0, s.ToString("R", CultureInfo.InvariantCulture), log.Messages[test[t]]));
                }
                clock.Stop();
                var fit = new Fit(method.Key, seed, RocAuc.Compute(scores, testAlerts), clock.Elapsed.TotalSeconds);
                fits.Add(fit);
                Console.Error.WriteLine($"seed {seed} {method.Key,-14} AUC {fit.Auc:F4} {fit.Seconds:F2}s");
            }
        }
        wall.Stop();
        Console.WriteLine(Report(header, log, methods, fits, splits, ks, wall.Elapsed));
    }

    private static string Report(string header, BglLog log, IReadOnlyList<ILineAnomalyMethod> methods, List<Fit> fits,
        List<(int seed, int trainNormals, int trainAlertsLeftOut, int testNormals, int testAlerts)> splits, double[] ks, TimeSpan wall)
    {
        var sb = new StringBuilder(header);
        var first = splits[0];
        sb.AppendLine($"""
            Data: `{BglLog.RelativePath}` ({log.Lines:N0} lines, {log.Alerts} alerts = label field other than `-`). A model sees only the message: the line without its first (label) field.

            Protocol: for split seeds {splits[0].seed}..{splits[^1].seed}, a stratified {100 * TrainFraction:F0}/{100 * (1 - TrainFraction):F0} split (per class, a Fisher-Yates shuffle by `new Random(seed)`, the first round(count/2) lines to training); each method is trained on the **normal** lines of the training half only ({first.trainNormals} lines; the {first.trainAlertsLeftOut} training alerts are discarded) and scores every line of the test half ({first.testNormals} normal + {first.testAlerts} alert); ROC-AUC of the score, alerts positive (Mann-Whitney, ties averaged).

            N-gram baselines: character n-gram language models with add-k smoothing and no back-off, p(c | h) = (count(h c) + k) / (count(h) + k V), h = the n - 1 previous symbols (lines padded at the start with n - 1 begin symbols), V = distinct training characters + 1 shared symbol for unseen characters + 1 end-of-line symbol. Line score = mean negative log-likelihood in nats per symbol over the line's characters **and** its end-of-line symbol (length + 1 symbols); higher = more anomalous. k = {string.Join(", ", ks.Select(k => k.ToString("0.###", CultureInfo.InvariantCulture)))}{(ks.Length == 1 && ks[0] == DefaultK ? " (the default, chosen before measuring)" : "")}.

            """);

        var seeds = splits.Select(s => s.seed).ToArray();
        var table = new MarkdownTable(new[] { "method", "ROC-AUC (mean ± std)" }.Concat(seeds.Select(s => $"seed {s}")).ToArray());
        foreach (var m in methods)
        {
            var aucs = seeds.Select(s => fits.Single(f => f.Method == m.Key && f.Seed == s).Auc).ToList();
            table.Add(new[] { m.Name, $"{Statistics.Mean(aucs):F3} ± {Statistics.StdDev(aucs):F3}" }.Concat(aucs.Select(a => a.ToString("F3"))).ToArray());
        }
        sb.AppendLine(table.ToString());

        var times = new MarkdownTable("method", "seconds per fit (train + score, mean)");
        foreach (var m in methods)
            times.Add(m.Name, fits.Where(f => f.Method == m.Key).Average(f => f.Seconds).ToString("F2"));
        sb.AppendLine(times.ToString());
        sb.AppendLine($"Whole run: {wall.TotalSeconds:F1} s.");
        return sb.ToString();
    }
}
