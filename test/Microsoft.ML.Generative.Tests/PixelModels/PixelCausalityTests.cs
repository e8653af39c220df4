using Microsoft.ML.Generative.PixelModels;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.PixelModels;

/// <summary>
/// Causality of the pixel networks, tested with autograd in float64: the logits of a sub-pixel have an exactly zero
/// gradient with respect to itself and every sub-pixel after it (raster order, R, G, B within a pixel), and a nonzero
/// one with respect to the earlier sub-pixels the architecture is meant to reach (no blind spot).
/// </summary>
public class PixelCausalityTests
{
    public static TheoryData<PixelRnnArchitecture, int, int> Cases => new()
    {
        { PixelRnnArchitecture.GatedPixelCnn, 1, 0 },
        { PixelRnnArchitecture.GatedPixelCnn, 3, 0 },
        { PixelRnnArchitecture.GatedPixelCnn, 3, 4 },
        { PixelRnnArchitecture.RowLstm, 1, 0 },
        { PixelRnnArchitecture.RowLstm, 3, 0 },
        { PixelRnnArchitecture.RowLstm, 1, 4 },
    };

    /// <summary>d(logits of sub-pixel (c, i, j)) / d(input) [C, H, W], in float64, for one image (a random linear combination of the levels' logits).</summary>
    private static double[,,] Gradient(PixelNetwork network, Tensor image, Tensor labels, int c, int i, int j)
    {
        var a = network.Architecture;
        using var scope = NewDisposeScope();
        var x = image.to(float64).detach().requires_grad_(true);
        var logits = network.Logits(x, labels);                       // [1, L, C, H, W]
        using var generator = new Generator(99, CPU);
        var weights = randn(new long[] { a.Levels }, dtype: float64, generator: generator);
        var target = (logits.select(0, 0).select(1, c).select(1, i).select(1, j) * weights).sum();
        var grad = autograd.grad(new[] { target }, new[] { x })[0][0];   // [C, H, W]
        var values = grad.data<double>().ToArray();
        var result = new double[a.Channels, a.Height, a.Width];
        for (int k = 0; k < values.Length; k++)
            result[k / (a.Height * a.Width), k / a.Width % a.Height, k % a.Width] = values[k];
        return result;
    }

    private static bool Before(int c2, int i2, int j2, int c, int i, int j)
        => i2 < i || (i2 == i && (j2 < j || (j2 == j && c2 < c)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void EverySubPixelIsBlindToItselfAndToEverythingAfterIt(PixelRnnArchitecture kind, int channels, int classes)
    {
        var a = PixelTestNetworks.Architecture(kind, channels, height: 5, width: 5, classes: classes);
        using var network = PixelTestNetworks.Create(a);
        network.to(float64);
        var image = PixelTestNetworks.RandomImages(a, 1, seed: 3);
        var labels = PixelTestNetworks.RandomLabels(a, 1, seed: 3);
        for (int i = 0; i < a.Height; i++)
            for (int j = 0; j < a.Width; j++)
                for (int c = 0; c < a.Channels; c++)
                {
                    var g = Gradient(network, image, labels, c, i, j);
                    for (int c2 = 0; c2 < a.Channels; c2++)
                        for (int i2 = 0; i2 < a.Height; i2++)
                            for (int j2 = 0; j2 < a.Width; j2++)
                                if (!Before(c2, i2, j2, c, i, j))
                                    Assert.True(g[c2, i2, j2] == 0,
                                        $"{kind}: the logits of sub-pixel (channel {c}, row {i}, column {j}) depend on (channel {c2}, row {i2}, column {j2}), which is not before it (gradient {g[c2, i2, j2]:R}).");
                }
    }

    [Theory]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 1)]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 3)]
    public void GatedStacksReachEveryEarlierPixelOfTheirReceptiveFieldWithoutABlindSpot(PixelRnnArchitecture kind, int channels)
    {
        // With L layers of kernel 3, the output at (i, j) reads rows i-1-L .. i-1 within L columns either side (the
        // vertical stack, shifted a row), and row i from L columns left up to j-1 (the horizontal stack). A plain
        // masked-convolution stack misses the pixels up and to the right: (i-1, j+1) .. (i-1, j+L) are checked here.
        const int layers = 2;
        var a = PixelTestNetworks.Architecture(kind, channels, height: 7, width: 7, layers: layers);
        using var network = PixelTestNetworks.Create(a);
        network.to(float64);
        var image = PixelTestNetworks.RandomImages(a, 1, seed: 5);
        int i = 4, j = 3;
        for (int c = 0; c < a.Channels; c++)
        {
            var g = Gradient(network, image, null, c, i, j);
            for (int i2 = i - 1 - layers; i2 <= i; i2++)
                for (int j2 = j - layers; j2 <= (i2 < i ? j + layers : j - 1); j2++)
                {
                    double total = 0;
                    for (int c2 = 0; c2 < a.Channels; c2++) total += Math.Abs(g[c2, i2, j2]);
                    Assert.True(total > 0, $"The logits of sub-pixel (channel {c}, row {i}, column {j}) do not depend on pixel (row {i2}, column {j2}): a blind spot.");
                }
            for (int c2 = 0; c2 < c; c2++)
                Assert.True(g[c2, i, j] != 0, $"Sub-pixel {c} of a pixel does not read its earlier sub-pixel {c2}.");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RowLstmReachesTheTriangleAboveAndThePixelToTheLeft(int channels)
    {
        var a = PixelTestNetworks.Architecture(PixelRnnArchitecture.RowLstm, channels, height: 6, width: 7);
        using var network = PixelTestNetworks.Create(a);
        network.to(float64);
        var image = PixelTestNetworks.RandomImages(a, 1, seed: 5);
        int i = 5, j = 3;
        for (int c = 0; c < a.Channels; c++)
        {
            var g = Gradient(network, image, null, c, i, j);
            var reached = new List<(int, int)> { (i, j - 1) };
            for (int i2 = 0; i2 < i; i2++)
                for (int j2 = Math.Max(0, j - (i - i2)); j2 <= Math.Min(a.Width - 1, j + (i - i2)); j2++)
                    reached.Add((i2, j2));
            foreach (var (i2, j2) in reached)
            {
                double total = 0;
                for (int c2 = 0; c2 < a.Channels; c2++) total += Math.Abs(g[c2, i2, j2]);
                Assert.True(total > 0, $"The Row LSTM's logits at (channel {c}, row {i}, column {j}) do not depend on pixel (row {i2}, column {j2}), inside its triangular receptive field.");
            }
            for (int c2 = 0; c2 < c; c2++)
                Assert.True(g[c2, i, j] != 0, $"Sub-pixel {c} of a pixel does not read its earlier sub-pixel {c2}.");
        }
    }
}
