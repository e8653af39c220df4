using Microsoft.ML.Generative.Flows;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Speed;

/// <summary>
/// The baseline of the scoring comparisons: <see cref="RealNvpNetwork.Encode"/> called directly on tensors built
/// from a float[] (batches of the same size the transformer uses, or single rows), with z and log p copied back to
/// managed arrays: the least work any scoring path has to do.
/// </summary>
internal static class RawScoring
{
    /// <summary>Scores all rows in batches; returns a checksum so the work cannot be skipped.</summary>
    public static double Batched(RealNvpNetwork network, float[] values, int rows, int d, int batchSize)
    {
        var latent = new float[batchSize * d];
        var logLikelihood = new float[batchSize];
        double checksum = 0;
        using var noGrad = no_grad();
        for (int start = 0; start < rows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, rows - start);
            var x = tensor(values.AsSpan(start * d, count * d).ToArray(), new long[] { count, d });
            var (z, ll) = network.Encode(x);
            z.contiguous().data<float>().CopyTo(latent.AsSpan(0, count * d));
            ll.data<float>().CopyTo(logLikelihood.AsSpan(0, count));
            for (int i = 0; i < count; i++) checksum += logLikelihood[i] + latent[i * d];
        }
        return checksum;
    }

    /// <summary>Scores the first <paramref name="count"/> rows one at a time.</summary>
    public static double SingleRows(RealNvpNetwork network, float[] values, int count, int d)
    {
        var latent = new float[d];
        var row = new float[d];
        double checksum = 0;
        using var noGrad = no_grad();
        for (int r = 0; r < count; r++)
        {
            using var scope = NewDisposeScope();
            values.AsSpan(r * d, d).CopyTo(row);
            var (z, ll) = network.Encode(tensor(row, new long[] { 1, d }));
            z.data<float>().CopyTo(latent);
            checksum += ll.item<float>() + latent[0];
        }
        return checksum;
    }
}
