using Microsoft.ML.Generative.PixelModels;
using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.PixelModels;

/// <summary>The pixel networks' likelihood, row-by-row reading and sampling, away from ML.NET.</summary>
public class PixelNetworkTests
{
    public static TheoryData<PixelRnnArchitecture, int, int> Cases => PixelCausalityTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReadingRowByRowGivesTheLogitsOfTheWholeImagePass(PixelRnnArchitecture kind, int channels, int classes)
    {
        // Two computation paths (a window or one row against the whole image): float32 sums in another order.
        const double tolerance = 1e-4;
        var a = PixelTestNetworks.Architecture(kind, channels, classes: classes);
        using var network = PixelTestNetworks.Create(a);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = PixelTestNetworks.RandomImages(a, 3, seed: 11);
        var labels = PixelTestNetworks.RandomLabels(a, 3, seed: 11);
        var whole = network.Logits(images, labels);                 // [3, L, C, H, W]
        using var reader = network.ReadRows(labels);
        for (int row = 0; row < a.Height; row++)
        {
            var expected = whole.select(3, row).contiguous().data<float>().ToArray();
            var actual = reader.RowLogits(images, row).contiguous().data<float>().ToArray();
            AssertClose.Relative(expected, actual, tolerance, $"{kind}, row {row} logits");
            reader.EndRow(images, row);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogLikelihoodIsTheSumOfTheSubPixelsLogProbabilitiesRecomputedHere(PixelRnnArchitecture kind, int channels, int classes)
    {
        var a = PixelTestNetworks.Architecture(kind, channels, classes: classes);
        using var network = PixelTestNetworks.Create(a);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = PixelTestNetworks.RandomImages(a, 2, seed: 4);
        var labels = PixelTestNetworks.RandomLabels(a, 2, seed: 4);
        var logits = network.Logits(images, labels);
        var logLikelihood = PixelLikelihood.PerImage(logits, images).data<float>().ToArray();

        var values = logits.to(float64).contiguous().data<double>().ToArray();   // [2, L, C, H, W]
        var levels = images.contiguous().data<float>().ToArray();                // [2, C, H, W]
        int plane = a.Height * a.Width, perImage = a.Channels * plane;
        for (int b = 0; b < 2; b++)
        {
            double sum = 0;
            for (int d = 0; d < perImage; d++)
            {
                double Logit(int level) => values[(b * a.Levels + level) * perImage + d];
                double max = Enumerable.Range(0, a.Levels).Max(Logit);
                double normaliser = max + Math.Log(Enumerable.Range(0, a.Levels).Sum(l => Math.Exp(Logit(l) - max)));
                double probabilities = Enumerable.Range(0, a.Levels).Sum(l => Math.Exp(Logit(l) - normaliser));
                AssertClose.Relative(1.0, probabilities, 1e-12, $"image {b}, sub-pixel {d}: the probabilities of all levels");
                sum += Logit((int)levels[b * perImage + d]) - normaliser;
            }
            AssertClose.Relative(sum, logLikelihood[b], 1e-5, $"{kind}, image {b}: log p(x)");
        }
    }

    [Theory]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn)]
    [InlineData(PixelRnnArchitecture.RowLstm)]
    public void AnUntrainedNetworkIsCloseToUniform(PixelRnnArchitecture kind)
    {
        var a = PixelTestNetworks.Architecture(kind, 1, levels: 16);
        using var network = PixelTestNetworks.Create(a);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = PixelTestNetworks.RandomImages(a, 8, seed: 2);
        double nats = -PixelLikelihood.PerImage(network.Logits(images, null), images).mean().item<float>();
        double bitsPerDimension = nats / a.Dimensions / Math.Log(2);
        // Uniform is log2(16) = 4 bits; small random initial weights keep the softmax near it.
        AssertClose.Relative(4.0, bitsPerDimension, 0.05, $"{kind}: bits/dim of an untrained network");
    }

    [Theory]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 1)]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 3)]
    [InlineData(PixelRnnArchitecture.RowLstm, 3)]
    public void CompletionKeepsTheKnownRowsAndTheSameSeedGivesTheSameImages(PixelRnnArchitecture kind, int channels)
    {
        var a = PixelTestNetworks.Architecture(kind, channels);
        using var network = PixelTestNetworks.Create(a);
        using var scope = NewDisposeScope();
        var images = PixelTestNetworks.RandomImages(a, 2, seed: 8);
        Tensor Complete(ulong seed)
        {
            using var generator = new Generator(seed, CPU);
            return PixelSampler.Sample(network, images, null, firstRow: 3, temperature: 1.0, generator);
        }
        var first = Complete(5);
        Assert.True(first.narrow(2, 0, 3).eq(images.narrow(2, 0, 3)).all().item<bool>(), "The known rows changed.");
        Assert.True(first.eq(Complete(5)).all().item<bool>(), "The same seed gave other images.");
        Assert.False(first.eq(Complete(6)).all().item<bool>(), "Another seed gave the same images.");
        var drawn = first.narrow(2, 3, a.Height - 3);
        Assert.True(drawn.ge(0).all().item<bool>() && drawn.lt(a.Levels).all().item<bool>() && drawn.eq(drawn.floor()).all().item<bool>(),
            "Drawn sub-pixels must be integer levels in range.");
    }

    [Theory]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 1)]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 3)]
    [InlineData(PixelRnnArchitecture.RowLstm, 1)]
    [InlineData(PixelRnnArchitecture.RowLstm, 3)]
    public void ANetworkTrainedOnOnePatternSamplesIt(PixelRnnArchitecture kind, int channels)
    {
        var a = PixelTestNetworks.Architecture(kind, channels, height: 4, width: 4, levels: 4);
        using var network = PixelTestNetworks.Create(a);
        using var scope = NewDisposeScope();
        // A fixed pattern: level (i + 2j + c) mod 4 at (c, i, j).
        var values = new float[a.Dimensions];
        for (int c = 0; c < a.Channels; c++)
            for (int i = 0; i < a.Height; i++)
                for (int j = 0; j < a.Width; j++)
                    values[(c * a.Height + i) * a.Width + j] = (i + 2 * j + c) % 4;
        var pattern = tensor(values, new long[] { 1, a.Channels, a.Height, a.Width }).expand(8, -1, -1, -1).contiguous();
        network.train();
        using var optimizer = optim.Adam(network.parameters(), lr: 0.01);
        double bitsPerDimension = double.NaN;
        for (int step = 0; step < 300; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = PixelLikelihood.MeanNatsPerSubPixel(network.Logits(pattern, null), pattern);
            loss.backward();
            optimizer.step();
            bitsPerDimension = loss.item<float>() / Math.Log(2);
        }
        Assert.True(bitsPerDimension < 0.002, $"{kind}: {bitsPerDimension} bits/dim after training on one image; expected close to 0.");
        // Temperature 0.5 squares the odds against the pattern (below 2e-6 per draw here), so 192 draws reproduce it.
        using var generator = new Generator(3, CPU);
        var samples = PixelSampler.Sample(network, zeros(4, a.Channels, a.Height, a.Width), null, 0, 0.5, generator);
        Assert.True(samples.eq(pattern.narrow(0, 0, 4)).all().item<bool>(), $"{kind}: the samples are not the pattern the network learned.");
    }
}

/// <summary>The pixel networks define a probability distribution: over every possible image, the probabilities sum to 1.</summary>
public class PixelNormalisationTests
{
    [Theory]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 1, 2, 2, 0)]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 3, 1, 2, 0)]
    [InlineData(PixelRnnArchitecture.GatedPixelCnn, 1, 2, 2, 3)]
    [InlineData(PixelRnnArchitecture.RowLstm, 1, 2, 2, 0)]
    [InlineData(PixelRnnArchitecture.RowLstm, 3, 1, 2, 0)]
    public void TheProbabilitiesOfAllPossibleImagesSumToOne(PixelRnnArchitecture kind, int channels, int height, int width, int classes)
    {
        // 4 levels: 4^(C x H x W) images (256 or 4,096). Sums in float64 of float32 log-likelihoods.
        var a = PixelTestNetworks.Architecture(kind, channels, height, width, levels: 4, classes: classes);
        using var network = PixelTestNetworks.Create(a, seed: 6);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int d = a.Dimensions, count = 1 << (2 * d);
        var values = new float[count * d];
        for (int image = 0; image < count; image++)
            for (int k = 0; k < d; k++)
                values[image * d + k] = (image >> (2 * k)) & 3;
        var images = tensor(values, new long[] { count, a.Channels, a.Height, a.Width });
        var labelSets = classes == 0 ? new Tensor[] { null } : Enumerable.Range(0, classes).Select(c => full(new long[] { count }, c, dtype: int64)).ToArray();
        foreach (var labels in labelSets)
        {
            var logLikelihood = PixelLikelihood.PerImage(network.Logits(images, labels), images).to(float64);
            double total = logLikelihood.exp().sum().item<double>();
            AssertClose.Relative(1.0, total, 1e-4, $"{kind}: the sum of P(x) over all {count} images{(labels is null ? "" : $" of class {labels[0].item<long>()}")}");
        }
    }
}
