using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Generative.Benchmarks.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// The fixed ODDS protocol: for every data set and split seed, a stratified 60/40 split; every method is trained
/// without labels on all rows of the 60% (anomalies included) and scores the 40%; ROC-AUC per fit, then the mean and
/// standard deviation over seeds, the goals G1/G2 for our flow, and the time each method took.
/// </summary>
internal static class AnomalyBenchmark
{
    public const double TrainFraction = 0.6;
    public const int QuickEpochs = 10;

    /// <summary>One fit: a method on one split.</summary>
    private sealed record Fit(string DataSet, int Seed, string Method, double Auc, double? MlNetAuc, double Seconds, int? Epochs, int? BestEpoch);

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        var sets = commandLine.List("sets", OddsDataSet.All);
        int seedCount = commandLine.Int("seeds", 5), firstSeed = commandLine.Int("first-seed", 0);
        bool quick = commandLine.Flag("quick"), verbose = commandLine.Flag("verbose");
        var methodKeys = commandLine.List("methods", "flow", "pca", "gaussian", "plain", "diag");
        var overrides = OptionOverrides.Parse<RealNvpOptions>(commandLine.String("flow"));
        var plainOverrides = OptionOverrides.Parse<PlainRealNvpExperiment>(commandLine.String("plain"));
        var plainExperiment = new PlainRealNvpExperiment();
        OptionOverrides.Apply(plainExperiment, plainOverrides);
        string csvPath = commandLine.String("csv");
        double pcaRankFraction = double.Parse(commandLine.String("pca-rank-fraction", "0.5"), System.Globalization.CultureInfo.InvariantCulture);
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();

        var all = new IAnomalyDetector[]
        {
            new RealNvpDetector(o =>
            {
                if (quick) o.MaxEpochs = QuickEpochs;
                OptionOverrides.Apply(o, overrides);
            }, verbose),
            new RandomizedPcaDetector(pcaRankFraction),
            new GaussianDetector(),
            new GaussianDetector(diagonal: true),
            new PlainRealNvpDetector(quick ? QuickEpochs : 200, plainExperiment),
        };
        var detectors = methodKeys.Select(k => all.FirstOrDefault(m => m.Key == k)
            ?? throw new ArgumentException($"Unknown method '{k}'; use {string.Join(", ", all.Select(m => m.Key))}.")).ToArray();
        string header = RunEnvironment.Header("ODDS anomaly detection (ROC-AUC)", commandLine);

        var fits = new List<Fit>();
        var dataSets = new List<OddsDataSet>();
        using var csv = csvPath is null ? null : new StreamWriter(csvPath, append: File.Exists(csvPath));
        if (csv is not null && csv.BaseStream.Position == 0) csv.WriteLine("config,dataset,seed,method,auc,mlnet_auc,seconds,epochs,best_epoch");
        var wall = Stopwatch.StartNew();
        foreach (string name in sets)
        {
            var data = OddsDataSet.Load(dataDirectory, name);
            dataSets.Add(data);
            for (int seed = firstSeed; seed < firstSeed + seedCount; seed++)
            {
                var split = StratifiedSplit.Create(data, TrainFraction, seed);
                foreach (var detector in detectors)
                {
                    var clock = Stopwatch.StartNew();
                    var result = detector.Run(split);
                    clock.Stop();
                    var fit = new Fit(name, seed, detector.Key, RocAuc.Compute(result.TestScores, split.TestIsAnomaly), result.MlNetAuc,
                        clock.Elapsed.TotalSeconds, result.Epochs, result.BestEpoch);
                    fits.Add(fit);
                    Console.Error.WriteLine($"{name,-12} seed {seed} {detector.Key,-9} AUC {fit.Auc:F4}" +
                        (fit.MlNetAuc is double m ? $" (ML.NET {m:F4})" : "") +
                        (fit.Epochs is int e ? $" epochs {e} best {fit.BestEpoch}" : "") + $" {fit.Seconds:F1}s");
                    string config = detector.Key == "plain" ? (plainOverrides.Count > 0 ? "plain: " + OptionOverrides.Describe(plainOverrides) : "") : detector.Key == "flow" ? OptionOverrides.Describe(overrides) : "";
                    csv?.WriteLine(string.Join(',', Csv(config + (quick ? " quick" : "")), name, seed, detector.Key,
                        Invariant(fit.Auc), fit.MlNetAuc is double a ? Invariant(a) : "", Invariant(fit.Seconds), fit.Epochs?.ToString() ?? "", fit.BestEpoch?.ToString() ?? ""));
                    csv?.Flush();
                }
            }
        }
        wall.Stop();

        Console.WriteLine(Report(header, detectors, dataSets, fits, overrides, plainOverrides, quick, seedCount, firstSeed, wall.Elapsed, pcaRankFraction));
    }

    private static string Report(string header, IAnomalyDetector[] detectors, List<OddsDataSet> dataSets, List<Fit> fits,
        IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides, IReadOnlyList<(System.Reflection.PropertyInfo, object)> plainOverrides,
        bool quick, int seedCount, int firstSeed, TimeSpan wall, double pcaRankFraction)
    {
        var sb = new StringBuilder(header);
        const string call = "ml.Generative().RealNvp(new RealNvpOptions { Seed = splitSeed, ... })";
        sb.AppendLine($"""
            Protocol: for each data set and split seed {firstSeed}..{firstSeed + seedCount - 1}, a stratified {100 * TrainFraction:F0}/{100 * (1 - TrainFraction):F0} split; every method is trained without labels on all rows of the training part (anomalies included) and scores the test part; ROC-AUC (Mann-Whitney, ties averaged). Cells: mean ± std over the {seedCount} seeds.{(quick ? $" **--quick: both flows limited to {QuickEpochs} epochs; not a result.**" : "")}

            - Real NVP (ours): `{call}`, {OptionOverrides.Describe(overrides)}.
            - RandomizedPca: NormalizeMeanVariance + `ml.AnomalyDetection.Trainers.RandomizedPca`, rank {RandomizedPcaDetector.DescribeRank(pcaRankFraction)}, ensureZeroMean, seed = split seed.
            - Gaussian: full covariance of the standardised training part + {GaussianDetector.Ridge} ridge, score -log N(x).
            - Gaussian (diagonal), for reference only (not part of G1): the sum of squared z-scores, i.e. what a flow scores before any training.
            - Plain Real NVP: hand-written TorchSharp, 8 couplings (even/odd masks), hidden max(64, 8d) <= 256 x 2 ReLU, tanh-bounded scale, zero-initialised last layer, Adam 1e-3, batch 256, 10% validation, patience {PlainRealNvpDetector.Patience}, <= {(quick ? QuickEpochs : 200)} epochs{(plainOverrides.Count > 0 ? $". **Experimental training changes: {OptionOverrides.Describe(plainOverrides)}** (not the protocol's reference)" : "")}.

            """);

        var table = new MarkdownTable(new[] { "data set", "rows", "d", "anomalies" }.Concat(detectors.Select(m => m.Name)).ToArray());
        foreach (var data in dataSets)
            table.Add(new[] { data.Name, data.Rows.ToString(), data.FeatureCount.ToString(), $"{100.0 * data.Anomalies / data.Rows:F1}%" }
                .Concat(detectors.Select(m => Cell(fits, data.Name, m.Key))).ToArray());
        table.Add(new[] { "**mean**", "", "", "" }.Concat(detectors.Select(m => $"**{dataSets.Average(ds => MeanAuc(fits, ds.Name, m.Key)):F3}**")).ToArray());
        sb.AppendLine(table.ToString());

        if (detectors.Any(m => m.Key == "flow"))
            AppendGoals(sb, detectors, dataSets, fits);
        AppendTraining(sb, detectors, dataSets, fits);
        if (firstSeed == 0 && detectors.Any(m => m.Key == "plain"))
            AppendPlainReference(sb, dataSets, fits);

        var times = new MarkdownTable("method", "total seconds", "seconds per fit (mean)", "fits");
        foreach (var m in detectors)
        {
            var own = fits.Where(f => f.Method == m.Key).ToList();
            times.Add(m.Name, own.Sum(f => f.Seconds).ToString("F1"), own.Average(f => f.Seconds).ToString("F2"), own.Count.ToString());
        }
        sb.AppendLine("Time per method (fit + scoring; the machine may have been shared, so only rough):").AppendLine();
        sb.AppendLine(times.ToString());
        sb.AppendLine($"Whole run: {wall.TotalMinutes:F1} min.");
        return sb.ToString();
    }

    private static void AppendGoals(StringBuilder sb, IAnomalyDetector[] detectors, List<OddsDataSet> dataSets, List<Fit> fits)
    {
        bool haveBaselines = detectors.Any(m => m.Key is "pca" or "gaussian"), havePlain = detectors.Any(m => m.Key == "plain");
        var goals = new MarkdownTable("data set", "ours", "best of PCA / Gaussian", "ours - best", "G1", "plain", "ours - plain", "G2");
        int g1 = 0;
        var g2Failures = new List<string>();
        foreach (var data in dataSets)
        {
            double ours = MeanAuc(fits, data.Name, "flow");
            double baseline = haveBaselines ? new[] { "pca", "gaussian" }.Where(k => fits.Any(f => f.Method == k)).Max(k => MeanAuc(fits, data.Name, k)) : double.NaN;
            double plain = havePlain ? MeanAuc(fits, data.Name, "plain") : double.NaN;
            bool meets1 = ours >= baseline, meets2 = ours >= plain;
            if (meets1) g1++;
            if (havePlain && !meets2) g2Failures.Add(data.Name);
            goals.Add(data.Name, ours.ToString("F3"), haveBaselines ? baseline.ToString("F3") : "-", haveBaselines ? (ours - baseline).ToString("+0.000;-0.000") : "-", haveBaselines ? (meets1 ? "yes" : "no") : "-",
                havePlain ? plain.ToString("F3") : "-", havePlain ? (ours - plain).ToString("+0.000;-0.000") : "-", havePlain ? (meets2 ? "yes" : "no") : "-");
        }
        sb.AppendLine("Goals for our flow (means over seeds): G1 = AUC >= max(RandomizedPca, Gaussian) on at least 4 of 6 sets; G2 = AUC not below the plain flow's on any set.").AppendLine();
        sb.AppendLine(goals.ToString());
        if (haveBaselines)
            sb.AppendLine($"- **G1 {(g1 >= 4 && dataSets.Count == 6 ? "met" : dataSets.Count == 6 ? "NOT met" : "(needs all six sets)")}**: ours >= best baseline on {g1} of {dataSets.Count} sets.");
        if (havePlain)
            sb.AppendLine($"- **G2 {(g2Failures.Count == 0 ? "met" : "NOT met")}**: " + (g2Failures.Count == 0 ? "ours >= plain on every set." : $"ours < plain on {string.Join(", ", g2Failures)}."));
        var checkedFits = fits.Where(f => f.MlNetAuc is not null).ToList();
        if (checkedFits.Count > 0)
            sb.AppendLine($"- AUC check: `ml.AnomalyDetection.Evaluate(scored, \"Label\", \"Score\", \"PredictedLabel\")` vs the Mann-Whitney AUC over {checkedFits.Count} fits of our flow: largest difference {checkedFits.Max(f => Math.Abs(f.Auc - f.MlNetAuc.Value)):E1}.");
        sb.AppendLine();
    }

    private static void AppendTraining(StringBuilder sb, IAnomalyDetector[] detectors, List<OddsDataSet> dataSets, List<Fit> fits)
    {
        var flows = detectors.Where(m => m.Key is "flow" or "plain").ToArray();
        if (flows.Length == 0) return;
        var table = new MarkdownTable(new[] { "data set" }.Concat(flows.Select(m => $"{m.Name}: epochs run / best epoch")).ToArray());
        foreach (var data in dataSets)
            table.Add(new[] { data.Name }.Concat(flows.Select(m =>
            {
                var own = fits.Where(f => f.DataSet == data.Name && f.Method == m.Key).ToList();
                return $"{own.Average(f => f.Epochs ?? 0):F0} / {own.Average(f => f.BestEpoch ?? 0):F0}";
            })).ToArray());
        sb.AppendLine("Flow training length (means over seeds):").AppendLine().AppendLine(table.ToString());
    }

    /// <summary>The issue's AUCs of a plain Real NVP on one split seed, for comparison with ours on seed 0.</summary>
    private static readonly Dictionary<string, double> IssuePlainReference = new()
    {
        ["thyroid"] = 0.964, ["cardio"] = 0.639, ["mammography"] = 0.850, ["pendigits"] = 0.799, ["satellite"] = 0.679, ["shuttle"] = 0.959,
    };

    private static void AppendPlainReference(StringBuilder sb, List<OddsDataSet> dataSets, List<Fit> fits)
    {
        var table = new MarkdownTable("data set", "plain flow, seed 0 (this run)", "plain flow, issue reference (one seed)");
        foreach (var data in dataSets)
        {
            var seed0 = fits.FirstOrDefault(f => f.DataSet == data.Name && f.Method == "plain" && f.Seed == 0);
            table.Add(data.Name, seed0?.Auc.ToString("F3") ?? "-", IssuePlainReference.TryGetValue(data.Name, out var r) ? r.ToString("F3") : "-");
        }
        sb.AppendLine("Plain flow against the issue's reference numbers (different implementation and split, so only the neighbourhood should match):").AppendLine();
        sb.AppendLine(table.ToString());
    }

    private static double MeanAuc(List<Fit> fits, string dataSet, string method)
        => Statistics.Mean(fits.Where(f => f.DataSet == dataSet && f.Method == method).Select(f => f.Auc).ToList());

    private static string Cell(List<Fit> fits, string dataSet, string method)
    {
        var aucs = fits.Where(f => f.DataSet == dataSet && f.Method == method).Select(f => f.Auc).ToList();
        return $"{Statistics.Mean(aucs):F3} ± {Statistics.StdDev(aucs):F3}";
    }

    private static string Invariant(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
