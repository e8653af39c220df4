using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>The multi-scale architecture: supported sizes, latent order, round trips on realistic sizes, clear errors.</summary>
public class MultiScaleRealNvpTests
{
    // Batch norm in the conditioners (evaluation mode, randomised running statistics) keeps the randomised deep flows of
    // these tests well conditioned, so float32 round trips can be held to 1e-4; without it some values grow to e^5 and more.
    private static ImageRealNvpArchitecture Small(int c, int h, int w, int scales) => new()
    {
        Channels = c, Height = h, Width = w, Scales = scales, FeatureMaps = 16, ResidualBlocks = 1, ConditionerBatchNorm = true,
    };

    [Theory]
    [InlineData(1, 28, 28, 1, true)]
    [InlineData(1, 28, 28, 2, true)]
    [InlineData(1, 28, 28, 3, true)]   // 28 -> 14 -> 7
    [InlineData(1, 28, 28, 4, false)]  // would squeeze 7x7
    [InlineData(1, 8, 8, 2, true)]
    [InlineData(1, 8, 8, 3, true)]
    [InlineData(1, 8, 8, 5, false)]
    [InlineData(1, 7, 7, 1, true)]
    [InlineData(1, 7, 7, 2, false)]
    [InlineData(3, 6, 10, 2, true)]
    [InlineData(3, 6, 10, 3, false)]   // 3x5 after one squeeze
    [InlineData(1, 8, 8, 0, false)]
    [InlineData(0, 8, 8, 1, false)]
    public void SupportedSizes(int c, int h, int w, int scales, bool supported)
    {
        Assert.Equal(supported, ImageRealNvpArchitecture.IsSupported(c, h, w, scales, out var reason));
        Assert.Equal(supported, reason is null);
        if (supported)
            ImageRealNvpArchitecture.EnsureSupported(c, h, w, scales);
        else
            Assert.Throws<ArgumentException>(() => ImageRealNvpArchitecture.EnsureSupported(c, h, w, scales));
    }

    [Fact]
    public void MaxScalesCountsTheSqueezes()
    {
        Assert.Equal(3, ImageRealNvpArchitecture.MaxScales(28, 28));
        Assert.Equal(4, ImageRealNvpArchitecture.MaxScales(8, 8));
        Assert.Equal(1, ImageRealNvpArchitecture.MaxScales(7, 7));
        Assert.Equal(2, ImageRealNvpArchitecture.MaxScales(6, 10));
    }

    [Fact]
    public void TooManyScalesFailsAtConstructionNamingTheSize()
    {
        var e = Assert.Throws<ArgumentException>(() => new MultiScaleRealNvp(Small(1, 7, 7, 2)));
        Assert.Contains("1x7x7", e.Message);
        Assert.Contains("at most 1 scale", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MultiScaleRealNvp(Small(1, 28, 28, 4)));
        Assert.Contains("1x28x28", e.Message);
        Assert.Contains("7x7", e.Message);
    }

    [Fact]
    public void WrongInputOrLatentShapesFailClearly()
    {
        using var flow = new MultiScaleRealNvp(Small(1, 8, 8, 2));
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => flow.Forward(zeros(2, 1, 8, 6)));
        Assert.Contains("[batch, 1, 8, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => flow.Inverse(zeros(2, 63)));
        Assert.Contains("[batch, 64]", e.Message);
    }

    [Theory]
    [InlineData(2, 8, 8, 3)]
    [InlineData(1, 4, 6, 2)]
    [InlineData(3, 2, 2, 1)]
    public void LatentsComeInTheDocumentedOrder(int c, int h, int w, int scales)
    {
        // A new flow's couplings are exact identities, so the flow is just its squeezes and factor-outs: a fixed
        // permutation, computed here independently from the documented layout.
        var architecture = Small(c, h, w, scales);
        using var flow = new MultiScaleRealNvp(architecture);
        flow.eval();
        using var scope = NewDisposeScope();
        int d = c * h * w;
        var x = arange(d, dtype: ScalarType.Float32).reshape(1, c, h, w);
        var (z, logDet) = flow.Forward(x);
        Assert.Equal(new long[] { 1, d }, z.shape);
        Assert.Equal(ExpectedLatentOrder(c, h, w, scales), z.data<float>().ToArray());
        Assert.Equal(0.0, ImageTestModules.MaxAbs(logDet));

        var shapes = architecture.LatentShapes();
        Assert.Equal(scales, shapes.Count);
        Assert.Equal(d, shapes.Sum(s => s.Channels * s.Height * s.Width));
        var parts = flow.SplitLatents(z);
        for (int i = 0; i < shapes.Count; i++)
            Assert.Equal(new long[] { 1, shapes[i].Channels, shapes[i].Height, shapes[i].Width }, parts[i].shape);
    }

    // Pixel (c, 2i+di, 2j+dj) -> channel 4c+2di+dj at (i, j); the second half of the channels leaves at each scale
    // but the last, flattened (channel, row, column); the last scale's output comes last.
    private static float[] ExpectedLatentOrder(int c, int h, int w, int scales)
    {
        var current = new float[c, h, w];
        for (int k = 0, n = 0; k < c; k++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    current[k, i, j] = n++;
        var latent = new List<float>();
        for (int s = 0; s < scales - 1; s++)
        {
            int cc = current.GetLength(0), hh = current.GetLength(1) / 2, ww = current.GetLength(2) / 2;
            var squeezed = new float[4 * cc, hh, ww];
            for (int k = 0; k < cc; k++)
                for (int i = 0; i < hh; i++)
                    for (int j = 0; j < ww; j++)
                        for (int di = 0; di < 2; di++)
                            for (int dj = 0; dj < 2; dj++)
                                squeezed[4 * k + 2 * di + dj, i, j] = current[k, 2 * i + di, 2 * j + dj];
            int half = 2 * cc;
            var kept = new float[half, hh, ww];
            for (int k = 0; k < 4 * cc; k++)
                for (int i = 0; i < hh; i++)
                    for (int j = 0; j < ww; j++)
                    {
                        if (k < half) kept[k, i, j] = squeezed[k, i, j];
                        else latent.Add(squeezed[k, i, j]);
                    }
            current = kept;
        }
        foreach (var value in current) // row-major: (channel, row, column)
            latent.Add(value);
        return latent.ToArray();
    }

    [Theory]
    [InlineData(1, 28, 28, 2, false)]
    [InlineData(3, 8, 8, 3, true)]
    public void RoundTripOnRealisticSizesIsExactToFloat32Precision(int c, int h, int w, int scales, bool batchNormFlow)
    {
        using var flow = new MultiScaleRealNvp(Small(c, h, w, scales) with { Normalization = batchNormFlow ? FlowNormalization.BatchNorm : FlowNormalization.None });
        ImageTestModules.Randomize(flow, seed: c + h);
        flow.eval();
        using var scope = NewDisposeScope();
        using var g = new Generator(9, CPU);
        var x = randn(new long[] { 4, c, h, w }, generator: g) * 1.5;
        var (z, logDet) = flow.Forward(x);
        var (back, inverseLogDet) = flow.Inverse(z);
        double error = ImageTestModules.MaxAbs(back - x);
        Assert.True(error <= 1e-4, $"max |f^-1(f(x)) - x| = {error}");
        Assert.True(ImageTestModules.MaxAbs(logDet + inverseLogDet) <= 1e-3, "inverse log-det must be minus the forward log-det");
        Assert.True(logDet.isfinite().all().item<bool>() && ImageTestModules.MaxAbs(logDet) > 1, "the randomised flow really changes volume");
        // Rows are independent in evaluation mode: scoring a row alone gives the same latent.
        var (zAlone, _) = flow.Forward(x.narrow(0, 2, 1));
        Assert.True(ImageTestModules.MaxAbs(zAlone - z.narrow(0, 2, 1)) <= 1e-5 * Math.Max(1, ImageTestModules.MaxAbs(z)));
    }

    [Fact]
    public void PreprocessingAndFlowComposeIntoOneExactDensity()
    {
        // logit preprocessing -> multi-scale flow -> standard normal: log p(v) over [0, K)^D with an exact log-det.
        using var flow = new FlowSequence(new FlowLayer[] { new LogitPreprocessing(17), new MultiScaleRealNvp(Small(1, 4, 4, 2)) });
        ImageTestModules.Randomize(flow, seed: 21);
        flow.eval();
        flow.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var g = new Generator(4, CPU);
        var v = (randint(0, 17, new long[] { 1, 1, 4, 4 }, generator: g) + rand(new long[] { 1, 1, 4, 4 }, dtype: ScalarType.Float64, generator: g)).to(ScalarType.Float64);
        var (z, logDet) = flow.Forward(v);
        double numerical = ImageTestModules.LogAbsDetJacobian(t => flow.Forward(t).z, v);
        Assert.True(Math.Abs(logDet.item<double>() - numerical) <= 1e-6 * Math.Max(1, Math.Abs(numerical)), $"log-det {logDet.item<double>()} vs numerical {numerical}");
        var (back, _) = flow.Inverse(z);
        Assert.True(ImageTestModules.MaxAbs(back - v) <= 1e-9);
        double bitsPerDim = BitsPerDimension.FromPixelSpaceNats(-(StandardNormal.LogProb(z) + logDet).item<double>(), 16);
        Assert.True(double.IsFinite(bitsPerDim) && bitsPerDim > 0, $"bits/dim {bitsPerDim}");
    }
}
