using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// Hand-written batched row scoring with a <see cref="PlainCharRnn"/> (an LSTM in text-speed): the baseline for the library's Transform.
/// Each row is read from a zero state as [boundary, c_1 .. c_n] and predicts [c_1 .. c_n, boundary], as the library's
/// Rows mode does; rows are taken in source order, BatchSize at a time, padded to the batch's longest row, with one
/// network call per batch; the padding is excluded from the sums.
/// </summary>
internal static class RawCharLstmRowScoring
{
    private const long Ignore = -100;

    /// <summary>Log-likelihood (nats) of every row; <paramref name="boundary"/> is the id of the begin/end symbol.</summary>
    public static float[] LogLikelihoods(PlainCharRnn network, IReadOnlyList<long[]> rows, long boundary, int batchSize)
    {
        var result = new float[rows.Count];
        network.eval();
        using var _ = no_grad();
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, rows.Count - start);
            int steps = 1;
            for (int r = 0; r < count; r++) steps = Math.Max(steps, rows[start + r].Length + 1);
            var inputs = new long[count * steps];
            var targets = new long[count * steps];
            Array.Fill(inputs, boundary);
            Array.Fill(targets, Ignore);
            for (int r = 0; r < count; r++)
            {
                var row = rows[start + r];
                Array.Copy(row, 0, inputs, r * steps + 1, row.Length);
                Array.Copy(row, 0, targets, r * steps, row.Length);
                targets[r * steps + row.Length] = boundary;
            }
            using var scope = NewDisposeScope();
            var (logits, _) = network.Forward(tensor(inputs, new long[] { count, steps }), null);
            var nll = nn.functional.cross_entropy(logits.reshape(count * steps, -1), tensor(targets), ignore_index: Ignore, reduction: nn.Reduction.None);
            var sums = nll.view(count, steps).sum(1).neg().data<float>().ToArray();
            Array.Copy(sums, 0, result, start, count);
        }
        return result;
    }
}
