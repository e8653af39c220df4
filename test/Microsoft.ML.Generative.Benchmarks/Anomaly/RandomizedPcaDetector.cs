using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Data;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// ML.NET's PCA anomaly detector: NormalizeMeanVariance (fitted on the training part, centring and scaling) followed by
/// <c>ml.AnomalyDetection.Trainers.RandomizedPca</c>. Its Score is the normalised distance of a row to the rank-k
/// principal subspace, sqrt(|residual|^2 / |x - mean|^2) (higher = more anomalous). Rank: k = ceil(fraction x d),
/// between 1 and d - 1; ML.NET's default rank (20) is not usable for d &lt;= 20.
/// </summary>
internal sealed class RandomizedPcaDetector : IAnomalyDetector
{
    private readonly double _rankFraction;

    public RandomizedPcaDetector(double rankFraction)
    {
        if (!(rankFraction > 0 && rankFraction <= 1)) throw new ArgumentException("--pca-rank-fraction must be in (0, 1].");
        _rankFraction = rankFraction;
    }

    public string Key => "pca";
    public string Name => "RandomizedPca (ML.NET)";

    public int Rank(int features) => Math.Max(1, Math.Min(features - 1, (int)Math.Ceiling(_rankFraction * features)));

    public static string DescribeRank(double fraction) => $"ceil({fraction:0.###} d) clamped to [1, d - 1]";

    public DetectionResult Run(SplitData split)
    {
        var ml = new MLContext(seed: split.Seed);
        int d = split.FeatureCount;
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features", fixZero: false)
            .Append(ml.AnomalyDetection.Trainers.RandomizedPca(featureColumnName: "Features", rank: Rank(d), ensureZeroMean: true, seed: split.Seed));
        var model = pipeline.Fit(FeatureViews.Unlabeled(ml, split.Train, split.TrainRows, d));
        var scored = model.Transform(FeatureViews.Labeled(ml, split.Test, split.TestIsAnomaly, d));
        return new DetectionResult(scored.GetColumn<float>("Score").ToArray());
    }
}
