using Microsoft.ML.Generative.Benchmarks.Data;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>One method of the protocol: trained without labels on a split's training part, it scores the test part.</summary>
internal interface IAnomalyDetector
{
    /// <summary>Short name used on the command line (--methods).</summary>
    string Key { get; }

    /// <summary>Name shown in the reports.</summary>
    string Name { get; }

    DetectionResult Run(SplitData split);
}

/// <summary>Test scores (higher = more anomalous) and optional details of the fit.</summary>
/// <param name="TestScores">One score per test row.</param>
/// <param name="MlNetAuc">The AUC ML.NET's anomaly evaluator reports, when the method was evaluated with it.</param>
/// <param name="Epochs">Epochs trained, for the flows.</param>
/// <param name="BestEpoch">Epoch whose weights were kept, for the flows.</param>
internal sealed record DetectionResult(float[] TestScores, double? MlNetAuc = null, int? Epochs = null, int? BestEpoch = null);
