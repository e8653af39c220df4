using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Pipeline;

/// <summary>Bad input gets a clear exception naming the column, the row and what was expected, never a crash or NaN.</summary>
public class BadInputTests : IClassFixture<TrainedFlowFixture>
{
    private readonly TrainedFlowFixture _f;
    public BadInputTests(TrainedFlowFixture fixture) => _f = fixture;

    private static RealNvpOptions Tiny => new RealNvpOptions { MaxEpochs = 2, NumberOfCouplingLayers = 2, HiddenLayerSize = 8, Seed = 1, NumberOfThreads = TestThreads.Count };

    private static float[][] Gaussian(int n, int d, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)ToyDistributions.Normal(r)).ToArray()).ToArray();
    }

    [Fact]
    public void MissingFeatureColumn()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(_f.TrainRows);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp("Features").Fit(data));
        Assert.Contains("'Features' was not found", ex.Message);
        var atTransform = Assert.Throws<ArgumentOutOfRangeException>(() => _f.Flow.Transform(data));
        Assert.Contains("'Features' was not found", atTransform.Message);
    }

    public sealed class DoubleRow { [VectorType(2)] public double[] Features { get; set; } }
    public sealed class ScalarRow { public float Features { get; set; } }
    public sealed class TextRow { public string Features { get; set; } }

    [Fact]
    public void FeatureColumnOfTheWrongType()
    {
        var ml = new MLContext(1);
        var doubles = ml.Data.LoadFromEnumerable(new[] { new DoubleRow { Features = new[] { 1.0, 2.0 } }, new DoubleRow { Features = new[] { 3.0, 1.0 } } });
        Assert.Contains("expected a vector of Single", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(Tiny).Fit(doubles)).Message);
        var scalar = ml.Data.LoadFromEnumerable(new[] { new ScalarRow { Features = 1 }, new ScalarRow { Features = 2 } });
        Assert.Contains("expected a vector of Single", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(Tiny).Fit(scalar)).Message);
        var text = ml.Data.LoadFromEnumerable(new[] { new TextRow { Features = "a" }, new TextRow { Features = "b" } });
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(Tiny).Fit(text));
        Assert.Contains("'Features'", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Flow.Transform(text));
    }

    [Fact]
    public void VectorSizeDifferentFromTraining()
    {
        var ml = new MLContext(1);
        var four = Rows.Load(ml, Gaussian(10, 4, 1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _f.Flow.Transform(four));
        Assert.Contains("has 4 features; the model was trained on 3", ex.Message);

        // A variable-size column is checked row by row: the first bad row is named.
        var rows = Gaussian(20, 3, 2).Select(v => new RealNvpPipelineTests.LooseRow { Features = v }).ToArray();
        rows[13].Features = new[] { 1f, 2f };
        var scored = _f.Flow.Transform(ml.Data.LoadFromEnumerable(rows));
        var bad = Assert.Throws<InvalidOperationException>(() => scored.GetColumn<float>("Score").ToArray());
        Assert.Contains("Column 'Features', row 13: the vector has 2 values; expected 3", bad.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteValuesInTrainingData(float value)
    {
        var ml = new MLContext(1);
        var rows = Gaussian(50, 3, 3);
        rows[17][1] = value;
        var ex = Assert.Throws<InvalidOperationException>(() => ml.Generative().RealNvp(Tiny).Fit(Rows.Load(ml, rows)));
        Assert.Contains("Column 'Features', row 17, slot 1", ex.Message);
        Assert.Contains("expected a finite number", ex.Message);
    }

    [Fact]
    public void NonFiniteValuesAtScoringTimeNameTheFirstBadRow()
    {
        var ml = new MLContext(1);
        var rows = Gaussian(3000, 3, 4);
        rows[2500][2] = float.NaN;
        var scored = _f.Flow.Transform(Rows.Load(ml, rows));
        var ex = Assert.Throws<InvalidOperationException>(() => scored.GetColumn<float>("Score").ToArray());
        Assert.Contains("Column 'Features', row 2500, slot 2", ex.Message);
        // The per-row path (PredictionEngine) reports it too.
        var engine = ml.Model.CreatePredictionEngine<AbcRow, FlowPrediction>(_f.Model);
        Assert.Throws<InvalidOperationException>(() => engine.Predict(new AbcRow { A = float.NaN, B = 1, C = 1 }));
    }

    [Fact]
    public void ExtremeButFiniteInputsNeverScoreNaN()
    {
        var ml = new MLContext(1);
        var rows = new[] { new[] { 3e38f, -3e38f, 3e38f }, new[] { 1e20f, 0f, -1e20f }, new[] { 100f, 5f, 0f } };
        var scores = _f.Flow.Transform(Rows.Load(ml, rows)).GetColumn<float>("Score").ToArray();
        Assert.All(scores, s => Assert.False(float.IsNaN(s)));
        // Fixture seeds 0-4, 1 and 2 threads: both extreme rows score +infinity every time.
        Assert.True(scores[0] > scores[2] && scores[1] > scores[2]);
    }

    [Fact]
    public void EmptyAndTooSmallTrainingData()
    {
        var ml = new MLContext(1);
        var empty = Assert.Throws<InvalidOperationException>(() => ml.Generative().RealNvp(Tiny).Fit(Rows.Load(ml, Array.Empty<float[]>())));
        Assert.Contains("no rows", empty.Message);
        var one = Assert.Throws<InvalidOperationException>(() => ml.Generative().RealNvp(Tiny).Fit(Rows.Load(ml, Gaussian(1, 3, 5))));
        Assert.Contains("expected at least 2", one.Message);
    }

    [Theory]
    [InlineData(2, FlowNormalization.ActNorm)]
    [InlineData(7, FlowNormalization.BatchNorm)]
    [InlineData(11, FlowNormalization.None)]
    public void FewerRowsThanABatchStillTrains(int rows, FlowNormalization normalization)
    {
        var ml = new MLContext(1);
        var options = Tiny;
        options.BatchSize = 256;
        options.Normalization = normalization;
        var data = Rows.Load(ml, Gaussian(rows, 3, 6));
        var flow = ml.Generative().RealNvp(options).Fit(data);
        Assert.All(flow.Transform(data).GetColumn<float>("Score"), s => Assert.True(float.IsFinite(s)));
        Assert.True(float.IsFinite(flow.Threshold));
    }

    [Fact]
    public void InvalidOptionsNameTheOption()
    {
        var ml = new MLContext(1);
        Assert.Contains("MaxEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 0 })).Message);
        Assert.Contains("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(new RealNvpOptions { LearningRate = float.NaN })).Message);
        Assert.Contains("ValidationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(new RealNvpOptions { ValidationFraction = 1f })).Message);
        Assert.Contains("AnomalyFalsePositiveRate", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(new RealNvpOptions { AnomalyFalsePositiveRate = 0f })).Message);
        Assert.Contains("Device", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().RealNvp(new RealNvpOptions { Device = "tpu" })).Message);
        Assert.Throws<ArgumentNullException>(() => ml.Generative().RealNvp((RealNvpOptions)null!));
    }

    [Fact]
    public void CudaWithoutAGpuFailsAtFitWithAnExplanation()
    {
        var ml = new MLContext(1);
        var estimator = ml.Generative().RealNvp(new RealNvpOptions { Device = "cuda", MaxEpochs = 1, NumberOfThreads = TestThreads.Count });
        if (global::TorchSharp.torch.cuda.is_available()) return; // a GPU machine can run it; this checks the CPU-only message
        var ex = Assert.Throws<InvalidOperationException>(() => estimator.Fit(Rows.Load(ml, Gaussian(10, 2, 7))));
        Assert.Contains("CUDA is not available", ex.Message);
    }

    [Fact]
    public void BadArgumentsToSampleAndInverse()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Flow.Sample(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Flow.Sample(10, float.NaN));
        Assert.Contains("expected 3", Assert.Throws<ArgumentException>(() => _f.Flow.Inverse(new float[2])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => _f.Flow.Inverse(new[] { 0f, float.NaN, 0f })).Message);
    }
}
