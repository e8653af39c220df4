using Microsoft.ML.Generative.Flows.Image;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>Squeeze/unsqueeze: where each pixel goes, a bit-identical round trip, and clear size errors.</summary>
public class SqueezeLayerTests
{
    [Fact]
    public void SqueezeMovesEach2x2BlockIntoFourChannelsInRasterOrder()
    {
        using var scope = NewDisposeScope();
        // 1x4x4 holding 0..15 row by row:
        //   0  1  2  3
        //   4  5  6  7
        //   8  9 10 11
        //  12 13 14 15
        var x = arange(16, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);
        var z = SqueezeLayer.Squeeze(x);
        Assert.Equal(new long[] { 1, 4, 2, 2 }, z.shape);
        float[] expected =
        {
            0, 2, 8, 10,    // channel 0: top-left pixel of each block
            1, 3, 9, 11,    // channel 1: top-right
            4, 6, 12, 14,   // channel 2: bottom-left
            5, 7, 13, 15,   // channel 3: bottom-right
        };
        Assert.Equal(expected, z.data<float>().ToArray());
    }

    [Fact]
    public void ChannelsOfAMultiChannelImageStayTogether()
    {
        using var scope = NewDisposeScope();
        // Input channel c lands in output channels 4c..4c+3.
        var x = arange(2 * 2 * 2, dtype: ScalarType.Float32).reshape(1, 2, 2, 2);
        var z = SqueezeLayer.Squeeze(x);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }, z.data<float>().ToArray());
    }

    [Fact]
    public void RoundTripIsBitIdenticalAndLogDetIsZero()
    {
        using var layer = new SqueezeLayer();
        using var scope = NewDisposeScope();
        using var g = new Generator(3, CPU);
        var x = randn(new long[] { 5, 3, 6, 8 }, generator: g) * 100;
        var (z, logDet) = layer.Forward(x);
        Assert.Equal(new long[] { 5, 12, 3, 4 }, z.shape);
        var (back, inverseLogDet) = layer.Inverse(z);
        Assert.True(ImageTestModules.SameValues(back, x), "unsqueeze(squeeze(x)) must equal x exactly");
        Assert.True(ImageTestModules.SameValues(SqueezeLayer.Squeeze(SqueezeLayer.Unsqueeze(z)), z));
        Assert.Equal(0.0, ImageTestModules.MaxAbs(logDet));
        Assert.Equal(0.0, ImageTestModules.MaxAbs(inverseLogDet));
        // Every value survives exactly once (a permutation).
        Assert.True(ImageTestModules.SameValues(z.reshape(-1).sort().Values, x.reshape(-1).sort().Values));
    }

    [Theory]
    [InlineData(7, 8)]
    [InlineData(8, 5)]
    [InlineData(1, 1)]
    public void OddHeightOrWidthFailsBeforeReachingTorch(int h, int w)
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 3, h, w);
        var e = Assert.Throws<ArgumentException>(() => SqueezeLayer.Squeeze(x));
        Assert.Contains($"3x{h}x{w}", e.Message);
        Assert.Contains("even height and width", e.Message);
    }

    [Fact]
    public void UnsqueezeNeedsChannelsDivisibleByFourAndImagesNeedRank4()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => SqueezeLayer.Unsqueeze(zeros(1, 6, 2, 2)));
        Assert.Contains("divisible by 4", e.Message);
        Assert.Throws<ArgumentException>(() => SqueezeLayer.Squeeze(zeros(4, 16)));
    }
}
