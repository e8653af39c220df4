using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// The image-completion likelihood: -ln p(rows from <c>knownRows</c> on | the rows above) per image, in nats. For a
/// pixel-autoregressive model it is exact and needs one pass: the conditionals of the lower rows' sub-pixels already
/// condition on everything above, so their negative log-probabilities are summed (the upper rows' terms, which make up
/// the rest of <c>Score</c>, are left out).
/// </summary>
internal static class ConditionalLikelihood
{
    private const int Chunk = 100;

    /// <summary>Mean over <paramref name="images"/> of -ln p(bottom rows | top rows), nats per image.</summary>
    /// <param name="labels">Class ids for a class-conditional model, else null.</param>
    public static double MeanBottomGivenTopNats(PixelRnnTransformer model, IReadOnlyList<float[]> images, IReadOnlyList<int> labels, int knownRows)
    {
        var network = model.Model.Network;
        var a = network.Architecture;
        if (knownRows < 0 || knownRows >= a.Height) throw new ArgumentOutOfRangeException(nameof(knownRows));
        if ((labels is null) != (a.Classes == 0)) throw new ArgumentException("Labels are needed for a class-conditional model, and only for it.", nameof(labels));
        double total = 0;
        using var noGrad = no_grad();
        for (int start = 0; start < images.Count; start += Chunk)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(Chunk, images.Count - start);
            var values = new float[n * a.Dimensions];
            for (int i = 0; i < n; i++)
            {
                var levels = (float[])images[start + i].Clone();
                model.Model.Pixels.CheckAndConvert(levels, model.FeatureColumnName, start + i);
                levels.CopyTo(values, i * a.Dimensions);
            }
            var x = tensor(values, new long[] { n, a.Channels, a.Height, a.Width });
            var y = labels is null ? null : tensor(labels.Skip(start).Take(n).Select(l => (long)l).ToArray());
            var nll = nn.functional.cross_entropy(network.Logits(x, y), x.to(ScalarType.Int64), reduction: nn.Reduction.None); // [n, C, H, W]
            total += nll.narrow(2, knownRows, a.Height - knownRows).to(ScalarType.Float64).sum().item<double>();
        }
        return total / images.Count;
    }
}
