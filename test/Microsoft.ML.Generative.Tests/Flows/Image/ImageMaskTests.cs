using Microsoft.ML.Generative.Flows.Image;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Flows.Image;

/// <summary>Checkerboard and channel-wise masks: pattern, complement, and clear errors.</summary>
public class ImageMaskTests
{
    [Theory]
    [InlineData(1, 4, 4)]
    [InlineData(3, 5, 2)]
    public void CheckerboardFollowsParityOfRowPlusColumnInEveryChannel(int c, int h, int w)
    {
        var even = ImageMasks.Checkerboard(c, h, w, 0);
        var odd = ImageMasks.Checkerboard(c, h, w, 1);
        for (int k = 0; k < c; k++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    Assert.Equal((i + j) % 2 == 0 ? 1f : 0f, even[k, i, j]);
                    Assert.Equal(1f, even[k, i, j] + odd[k, i, j]);
                }
        Assert.Equal(1f, even[0, 0, 0]); // the top-left pixel is passed through at parity 0
    }

    [Fact]
    public void ChannelWiseParity0PassesTheFirstHalf()
    {
        var first = ImageMasks.ChannelWise(4, 2, 3, 0);
        var second = ImageMasks.ChannelWise(4, 2, 3, 1);
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                {
                    Assert.Equal(k < 2 ? 1f : 0f, first[k, i, j]);
                    Assert.Equal(k < 2 ? 0f : 1f, second[k, i, j]);
                }
    }

    [Fact]
    public void ChannelWiseOnAnOddChannelCountFailsClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageMasks.ChannelWise(3, 4, 4, 0));
        Assert.Contains("even number of channels", e.Message);
        Assert.Contains("3x4x4", e.Message);
    }

    [Fact]
    public void BadParityOrSizeFails()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageMasks.Checkerboard(1, 4, 4, 2));
        Assert.Throws<ArgumentException>(() => ImageMasks.Checkerboard(0, 4, 4, 0));
    }
}
