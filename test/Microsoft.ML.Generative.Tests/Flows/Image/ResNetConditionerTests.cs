using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Flows.Image;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>
/// The convolutional conditioner: identity start, shapes, refused feature-map counts. Its guards against wrong oneDNN
/// kernels are tested in Kernels/ (ConvolutionChannelRuleTests, ConvolutionKernelCheckTests).
/// </summary>
public class ResNetConditionerTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(12, false)]
    public void ReturnsTwoCChannelsThatStartAtZero(int channels, bool withMaskPlane)
    {
        var mask = ImageMasks.Checkerboard(channels, 6, 4, 1);
        using var conditioner = new ResNetConditioner(channels, 2 * channels, 16, 2, ConditionerActivation.Relu, batchNorm: true,
            withMaskPlane ? ImageMasks.Plane(mask) : null);
        Assert.Equal(2 * channels, conditioner.OutputChannels);
        var inConv = conditioner.named_parameters().Single(p => p.name == "in_conv.weight").parameter;
        Assert.Equal(channels + (withMaskPlane ? 1 : 0), inConv.shape[1]);
        using var coupling = new AffineCoupling(mask, conditioner);
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var x = randn(new long[] { 3, channels, 6, 4 }, generator: g);
        var h = conditioner.call(x);
        Assert.Equal(new long[] { 3, 2 * channels, 6, 4 }, h.shape);
        Assert.Equal(0.0, ImageTestModules.MaxAbs(h));
        var (z, logDet) = coupling.Forward(x);
        Assert.True(ImageTestModules.SameValues(z, x), "a new coupling is the identity");
        Assert.Equal(0.0, ImageTestModules.MaxAbs(logDet));
    }

    [Fact]
    public void TooFewFeatureMapsIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ResNetConditioner(1, 2, featureMaps: 8, residualBlocks: 1));
        Assert.Contains("16", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageRealNvpArchitecture { Height = 4, Width = 4, FeatureMaps = 15 }.Validate());
        // Above 16, only multiples of 16: oneDNN pads other counts into layouts it gets wrong on some CPUs.
        Assert.Contains("multiple of 16", Assert.Throws<ArgumentOutOfRangeException>(() => new ResNetConditioner(1, 2, featureMaps: 24, residualBlocks: 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageRealNvpArchitecture { Height = 4, Width = 4, FeatureMaps = 40 }.Validate());
    }
}
