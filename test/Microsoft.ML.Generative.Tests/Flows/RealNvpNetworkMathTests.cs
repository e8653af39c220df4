using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows;

/// <summary>The whole vector Real NVP: round trip in float32, log-det and density against autograd.</summary>
public class RealNvpNetworkMathTests
{
    private static RealNvpNetwork Build(int d, FlowNormalization normalization, int seed)
    {
        var means = Enumerable.Range(0, d).Select(i => (float)(i - 1.5)).ToArray();
        var stds = Enumerable.Range(0, d).Select(i => 0.5f + i).ToArray();
        var net = new RealNvpNetwork(new RealNvpArchitecture { Features = d, Couplings = 6, HiddenSize = 32, HiddenLayers = 2, Normalization = normalization }, means, stds);
        TestModules.Randomize(net, seed, scale: 0.3);
        net.eval();
        return net;
    }

    [Theory]
    [InlineData(2, FlowNormalization.ActNorm)]
    [InlineData(5, FlowNormalization.BatchNorm)]
    [InlineData(9, FlowNormalization.None)]
    [InlineData(1, FlowNormalization.ActNorm)]
    public void RoundTripIsExactToFloat32Precision(int d, FlowNormalization normalization)
    {
        using var net = Build(d, normalization, seed: d);
        using var scope = NewDisposeScope();
        using var g = new Generator(3, CPU);
        var x = randn(new long[] { 1000, d }, generator: g) * 3 + 1;
        var (z, _) = net.Encode(x);
        var back = net.Decode(z);
        float error = (back - x).abs().max().item<float>();
        Assert.True(error <= 1e-4f, $"max |x - f^-1(f(x))| = {error}");
        Assert.True((net.Decode(z) - net.Decode(z)).abs().max().item<float>() == 0f, "decoding is deterministic");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    public void WholeFlowLogDetMatchesNumericalJacobian(int d)
    {
        using var net = Build(d, FlowNormalization.ActNorm, seed: 10 + d);
        net.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(7, CPU);
        for (int trial = 0; trial < 4; trial++)
        {
            var x = randn(new long[] { 1, d }, dtype: ScalarType.Float64, generator: g) * 2;
            double numerical = TestModules.NumericalLogAbsDet(v => net.Flow.Forward(v).z, x);
            double analytic = net.Flow.Forward(x).logDet.item<double>();
            Assert.True(Math.Abs(analytic - numerical) <= 1e-3 * Math.Max(1, Math.Abs(numerical)), $"d={d}: log|det J| {analytic} vs numerical {numerical}");
            // Float32 (the production dtype) agrees with the float64 value to 1e-3 relative as well.
        }
    }

    [Fact]
    public void LogLikelihoodIsChangeOfVariablesOntoStandardNormal()
    {
        using var net = Build(3, FlowNormalization.ActNorm, seed: 1);
        net.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var x = randn(new long[] { 1, 3 }, dtype: ScalarType.Float64, generator: g);
        var (z, logLikelihood) = net.Encode(x);
        double expected = -0.5 * z.pow(2).sum().item<double>() - 1.5 * Math.Log(2 * Math.PI) + TestModules.NumericalLogAbsDet(v => net.Flow.Forward(v).z, x);
        // float64 throughout, the log-det once analytic and once from an autograd Jacobian: rounding of terms of order 1.
        AssertClose.Relative(expected, logLikelihood.item<double>(), 1e-9, "log-likelihood vs the change of variables", magnitude: 1);
    }

    [Fact]
    public void DensityIntegratesToOneIn2D()
    {
        // Riemann sum of p(x) over a grid that holds essentially all of the mass: a density must integrate to 1.
        using var net = Build(2, FlowNormalization.ActNorm, seed: 4);
        net.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        const int n = 400;
        double lo = -14, hi = 12, h = (hi - lo) / n;
        var grid = new double[n * n * 2];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                grid[2 * (i * n + j)] = lo + (i + 0.5) * h;
                grid[2 * (i * n + j) + 1] = lo + (j + 0.5) * h;
            }
        double mass = net.LogLikelihood(tensor(grid, new long[] { n * n, 2 })).exp().sum().item<double>() * h * h;
        Assert.InRange(mass, 0.98, 1.02);
    }
}
