using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows;

/// <summary>Every flow layer type: exact inverse, and log|det J| equal to an autograd Jacobian's (float64).</summary>
public class FlowLayerMathTests
{
    private const int D = 5;

    public static IEnumerable<object[]> LayerKinds() => new[]
    {
        new object[] { "coupling-bounded" }, new object[] { "coupling-unbounded" }, new object[] { "coupling-halves" },
        new object[] { "actnorm" }, new object[] { "batchnorm-eval" }, new object[] { "standardization" },
        new object[] { "sequence" },
    };

    private static FlowLayer Create(string kind)
    {
        FlowLayer layer = kind switch
        {
            "coupling-bounded" => new AffineCoupling(VectorMasks.ForLayer(0, D), new MlpConditioner(D, 16, 2, 2 * D, ConditionerActivation.Tanh), true),
            "coupling-unbounded" => new AffineCoupling(VectorMasks.ForLayer(1, D), new MlpConditioner(D, 16, 2, 2 * D, ConditionerActivation.Silu), false),
            "coupling-halves" => new AffineCoupling(VectorMasks.ForLayer(2, D), new MlpConditioner(D, 16, 1, 2 * D, ConditionerActivation.Tanh), true),
            "actnorm" => new ActNorm(D),
            "batchnorm-eval" => new BatchNormFlow(D),
            "standardization" => new StandardizationLayer(new[] { 1f, -2f, 0.5f, 3f, 0f }, new[] { 0.5f, 2f, 1.5f, 0.1f, 3f }),
            "sequence" => new FlowSequence(new FlowLayer[]
            {
                new AffineCoupling(VectorMasks.ForLayer(0, D), new MlpConditioner(D, 8, 1, 2 * D, ConditionerActivation.Tanh)),
                new ActNorm(D),
                new AffineCoupling(VectorMasks.ForLayer(1, D), new MlpConditioner(D, 8, 1, 2 * D, ConditionerActivation.Tanh)),
                new BatchNormFlow(D),
            }),
            _ => throw new ArgumentException(kind),
        };
        TestModules.Randomize(layer, seed: kind.Length);
        layer.eval();
        return layer;
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void InverseUndoesForward(string kind)
    {
        using var layer = Create(kind);
        using var scope = NewDisposeScope();
        using var g = new Generator(11, CPU);
        var x = randn(new long[] { 64, D }, generator: g) * 2;
        var (z, logDetForward) = layer.Forward(x);
        var (back, logDetInverse) = layer.Inverse(z);
        Assert.True((back - x).abs().max().item<float>() <= 1e-4f, $"{kind}: max |f^-1(f(x)) - x| = {(back - x).abs().max().item<float>()}");
        Assert.True((logDetForward + logDetInverse).abs().max().item<float>() <= 1e-4f, $"{kind}: inverse log-det is not the negative of the forward log-det");
        Assert.True((z - x).abs().max().item<float>() > 1e-2f, $"{kind}: the layer is (nearly) the identity, so this test would prove nothing");
    }

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void LogDetMatchesAutogradJacobian(string kind)
    {
        using var layer = Create(kind);
        layer.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(5, CPU);
        for (int trial = 0; trial < 3; trial++)
        {
            var x = randn(new long[] { 1, D }, dtype: ScalarType.Float64, generator: g) * 1.5;
            double expected = TestModules.NumericalLogAbsDet(v => layer.Forward(v).z, x);
            double actual = layer.Forward(x).logDet.item<double>();
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{kind}: log-det {actual} vs numerical {expected}");
        }
    }

    [Fact]
    public void ActNormInitialisesToZeroMeanUnitVariance()
    {
        using var layer = new ActNorm(3);
        using var scope = NewDisposeScope();
        using var g = new Generator(2, CPU);
        var x = randn(new long[] { 512, 3 }, generator: g) * tensor(new[] { 5f, 0.1f, 2f }) + tensor(new[] { 10f, -3f, 0f });
        layer.train();
        Assert.False(layer.IsInitialized);
        var (z, _) = layer.Forward(x);
        Assert.True(layer.IsInitialized);
        Assert.True(z.mean(new long[] { 0 }).abs().max().item<float>() < 1e-4f);
        Assert.True((z.std(0) - 1).abs().max().item<float>() < 1e-3f);
    }

    [Fact]
    public void BatchNormUsesBatchStatisticsInTrainingAndRunningAveragesAfter()
    {
        using var layer = new BatchNormFlow(2, momentum: 1.0);
        using var scope = NewDisposeScope();
        var batch = tensor(new[] { 0f, 10f, 2f, 30f }, new long[] { 2, 2 });
        layer.train();
        var (z, _) = layer.Forward(batch);
        Assert.True(z.mean(new long[] { 0 }).abs().max().item<float>() < 1e-5f, "training mode standardises with the batch's own statistics");
        layer.eval();
        // momentum 1: running averages are exactly the last batch's statistics, so eval reproduces the training map.
        var (zEval, _) = layer.Forward(batch);
        Assert.True((zEval - z).abs().max().item<float>() < 1e-4f);
        var (zOther, _) = layer.Forward(batch + 100);
        Assert.True(zOther.mean().item<float>() > 10, "evaluation mode must not re-standardise a shifted batch");
    }

    [Fact]
    public void MasksAlternateAndCoverEveryFeature()
    {
        for (int d = 1; d <= 7; d++)
        {
            var transformedAtLeastOnce = new bool[d];
            for (int layer = 0; layer < 4; layer++)
            {
                var mask = VectorMasks.ForLayer(layer, d);
                var next = VectorMasks.ForLayer(layer ^ 1, d);
                for (int i = 0; i < d; i++)
                {
                    Assert.Equal(1f, mask[i] + next[i]); // a pattern and its complement
                    if (mask[i] == 0f) transformedAtLeastOnce[i] = true;
                }
            }
            Assert.All(transformedAtLeastOnce, Assert.True);
        }
    }
}
