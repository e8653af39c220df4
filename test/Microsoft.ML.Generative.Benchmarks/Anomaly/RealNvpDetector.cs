using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Data;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// The library under test, through its public API only: <c>ml.Generative().RealNvp(options).Fit(train)</c>, then
/// <c>Transform(test)</c>'s Score column. The AUC is also taken from <c>ml.AnomalyDetection.Evaluate</c> to check that
/// the scored view works with ML.NET's own evaluator and agrees with <see cref="RocAuc"/>.
/// </summary>
internal sealed class RealNvpDetector : IAnomalyDetector
{
    private readonly Action<RealNvpOptions> _configure;
    private readonly bool _verbose;

    /// <param name="configure">Changes to the default options (tuning, --quick); FeatureColumnName and Seed are set here.</param>
    /// <param name="verbose">Print the library's training log (per-epoch losses) to stderr.</param>
    public RealNvpDetector(Action<RealNvpOptions> configure, bool verbose)
    {
        _configure = configure;
        _verbose = verbose;
    }

    public string Key => "flow";
    public string Name => "Real NVP (ours)";

    public DetectionResult Run(SplitData split)
    {
        var ml = new MLContext(seed: split.Seed);
        if (_verbose)
            ml.Log += (_, e) =>
            {
                if (e.Source.StartsWith("RealNvp", StringComparison.Ordinal)) Console.Error.WriteLine($"    [{e.Source}] {e.RawMessage}");
            };
        int d = split.FeatureCount;
        var options = new RealNvpOptions { FeatureColumnName = "Features", Seed = split.Seed };
        _configure?.Invoke(options);

        using var model = ml.Generative().RealNvp(options).Fit(FeatureViews.Unlabeled(ml, split.Train, split.TrainRows, d));
        var scored = model.Transform(FeatureViews.Labeled(ml, split.Test, split.TestIsAnomaly, d));
        var scores = scored.GetColumn<float>(RealNvpTransformer.ScoreColumnName).ToArray();
        var metrics = ml.AnomalyDetection.Evaluate(scored, labelColumnName: "Label",
            scoreColumnName: RealNvpTransformer.ScoreColumnName, predictedLabelColumnName: RealNvpTransformer.PredictedLabelColumnName);
        var summary = model.TrainingSummary;
        return new DetectionResult(scores, metrics.AreaUnderRocCurve, summary.History.Count, summary.BestEpoch);
    }
}
