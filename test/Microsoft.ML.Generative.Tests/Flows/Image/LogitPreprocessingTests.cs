using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>Dequantization + logit preprocessing: exact log-det against the analytic formula, and bits/dim.</summary>
public class LogitPreprocessingTests
{
    [Theory]
    [InlineData(256, 0.05)]
    [InlineData(17, 0.05)]
    [InlineData(2, 0.2)]
    public void UniformNoiseImagesScoreTheAnalyticBitsPerDim(int levels, double alpha)
    {
        // Under a standard logistic base density q(z) = sigmoid(z) sigmoid(-z), p = sigmoid(z) is uniform on (0, 1), so
        // the preprocessing alone gives the constant density (1 - 2 alpha) / K per pixel on [0, K): bits/dim is
        // log2 K - log2(1 - 2 alpha), for every image. This fails if the log-det misses the 1/K scaling, the
        // (1 - 2 alpha) factor (both shift the constant) or the logit derivative (the density would vary with v).
        using var layer = new LogitPreprocessing(levels, alpha);
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        const int c = 3, h = 5, w = 4;
        var pixels = randint(0, levels, new long[] { 64, c, h, w }, generator: g).to(ScalarType.Float64);
        var v = layer.Dequantize(pixels, g);
        var (z, logDet) = layer.Forward(v);
        var logBase = (nn.functional.logsigmoid(z) + nn.functional.logsigmoid(-z)).reshape(64, -1).sum(1);
        var bitsPerDim = BitsPerDimension.FromPixelSpaceNats(-(logBase + logDet), c * h * w);
        double expected = Math.Log2(levels) - Math.Log2(1 - 2 * alpha);
        Assert.True(ImageTestModules.MaxAbs(bitsPerDim - expected) < 1e-9, $"bits/dim {bitsPerDim.max().item<double>()} vs analytic {expected}");
    }

    [Fact]
    public void LogDetIsTheAnalyticFormulaPerPixel()
    {
        const int levels = 256;
        const double alpha = 0.05;
        using var layer = new LogitPreprocessing(levels, alpha);
        using var scope = NewDisposeScope();
        using var g = new Generator(2, CPU);
        var v = layer.Dequantize(randint(0, levels, new long[] { 3, 1, 4, 4 }, generator: g).to(ScalarType.Float64), g);
        var (z, logDet) = layer.Forward(v);
        var values = v.data<double>().ToArray();
        var zs = z.data<double>().ToArray();
        for (int row = 0; row < 3; row++)
        {
            double expected = 0;
            for (int k = 0; k < 16; k++)
            {
                double y = values[row * 16 + k] / levels, p = alpha + (1 - 2 * alpha) * y;
                // float64 in libtorch and in .NET: a few ulps of terms of order 1 (z is near 0 where p is near 1/2).
                AssertClose.Relative(Math.Log(p / (1 - p)), zs[row * 16 + k], 1e-12, $"row {row}, pixel {k}: logit", magnitude: 1);
                expected += Math.Log(1.0 / levels) + Math.Log(1 - 2 * alpha) - Math.Log(p) - Math.Log(1 - p); // d logit(p)/dv
            }
            AssertClose.Relative(expected, logDet[row].item<double>(), 1e-12, $"row {row}: log-det vs the analytic formula");
        }
    }

    [Fact]
    public void DequantizeAddsReproducibleNoiseInsideEachPixelsBin()
    {
        using var layer = new LogitPreprocessing(256);
        using var scope = NewDisposeScope();
        var pixels = arange(256, dtype: ScalarType.Float32).reshape(1, 1, 16, 16);
        using var g1 = new Generator(7, CPU);
        using var g2 = new Generator(7, CPU);
        using var g3 = new Generator(8, CPU);
        var a = layer.Dequantize(pixels, g1);
        var b = layer.Dequantize(pixels, g2);
        var c = layer.Dequantize(pixels, g3);
        Assert.True(ImageTestModules.SameValues(a, b), "the same generator state gives the same noise");
        Assert.False(ImageTestModules.SameValues(a, c));
        var u = a - pixels;
        Assert.True(u.min().item<float>() >= 0f && u.max().item<float>() < 1f, "u ~ U[0, 1): each value stays in its pixel's bin");
        Assert.True(u.std().item<float>() > 0.2f, "the noise is spread over the bin (std of U[0,1) is 0.29)");
        var fromIntegers = layer.Dequantize(pixels.to(ScalarType.Int64), g1);
        Assert.Equal(ScalarType.Float32, fromIntegers.dtype);
        Assert.True((fromIntegers - pixels).min().item<float>() >= 0f);
    }

    [Fact]
    public void InverseIsStableForLargeLatents()
    {
        using var layer = new LogitPreprocessing(256);
        using var scope = NewDisposeScope();
        var z = tensor(new[] { -40f, -5f, 0f, 5f, 40f }).reshape(1, 1, 1, 5);
        var (x, logDet) = layer.Inverse(z);
        Assert.True(x.isfinite().all().item<bool>() && logDet.isfinite().all().item<bool>());
    }

    [Fact]
    public void BitsPerDimensionConventions()
    {
        const long d = 784;
        // A model uniform on [0, 256)^D: density 256^-D in pixel units, 1 in [0, 1) units; both are 8 bits/dim.
        // Double arithmetic with logarithms: a few ulps.
        AssertClose.Relative(8.0, BitsPerDimension.FromPixelSpaceNats(d * Math.Log(256), d), 1e-13, "pixel-space nats of a uniform model");
        AssertClose.Relative(8.0, BitsPerDimension.FromUnitIntervalNats(0.0, d, 256), 1e-13, "unit-interval nats of a uniform model, 256 levels");
        AssertClose.Relative(Math.Log2(17), BitsPerDimension.FromUnitIntervalNats(0.0, 64, 17), 1e-13, "unit-interval nats of a uniform model, 17 levels");
        Assert.Throws<ArgumentOutOfRangeException>(() => BitsPerDimension.FromPixelSpaceNats(1.0, 0));
    }

    [Fact]
    public void BadArgumentsFail()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogitPreprocessing(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogitPreprocessing(256, alpha: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogitPreprocessing(256, alpha: 0));
    }
}
