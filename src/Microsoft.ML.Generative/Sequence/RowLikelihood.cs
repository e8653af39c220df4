using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// Exact log-likelihoods of independent rows under a <see cref="CharRnnNetwork"/>: every row starts from the initial
    /// state, reads the boundary symbol and its characters, and is scored on its characters followed by the boundary
    /// (end of row). Rows are sorted by length and read in time chunks, so a long row costs memory for one chunk only,
    /// and rows that have ended leave the batch instead of being padded.
    /// </summary>
    internal static class RowLikelihood
    {
        /// <param name="network">The model (in eval mode; called under no_grad).</param>
        /// <param name="rows">Character ids of each row, without boundary symbols.</param>
        /// <param name="conditions">Row-major conditioning vectors (Condition mode) or null.</param>
        /// <param name="chunkLength">Time steps per network call.</param>
        /// <param name="logLikelihood">Receives log p(row) per row, in nats (including the end-of-row symbol).</param>
        /// <param name="embedding">Receives, per row, the top layer's hidden output after the row's last character (rows x hidden), or null.</param>
        /// <param name="perPosition">Receives, per row, the log-probability of each character and then of the end-of-row symbol, or null.</param>
        public static void Score(CharRnnNetwork network, IReadOnlyList<int[]> rows, float[] conditions, int chunkLength,
            Span<double> logLikelihood, float[] embedding, float[][] perPosition = null)
        {
            int count = rows.Count;
            if (count == 0) return;
            if (chunkLength < 1) throw new ArgumentOutOfRangeException(nameof(chunkLength));
            int hidden = network.Architecture.HiddenSize;
            var device = network.parameters().First().device;
            // Longest first, so the rows still running at any time step are a prefix of the batch.
            var order = Enumerable.Range(0, count).OrderByDescending(i => rows[i].Length).ThenBy(i => i).ToArray();
            var sums = new double[count];
            if (perPosition != null)
                for (int i = 0; i < count; i++) perPosition[i] = new float[rows[i].Length + 1];

            using var noGrad = no_grad();
            RecurrentState state;
            using (var scope = NewDisposeScope())
            {
                Tensor condition = null;
                if (conditions != null)
                {
                    int size = network.Architecture.ConditionSize;
                    var sorted = new float[count * size];
                    for (int r = 0; r < count; r++) Array.Copy(conditions, order[r] * size, sorted, r * size, size);
                    condition = tensor(sorted, new long[] { count, size }).to(device);
                }
                state = network.InitialState(count, condition).DetachFromDisposeScope();
            }
            try
            {
                int totalSteps = rows[order[0]].Length + 1;
                for (int t0 = 0; t0 < totalSteps; t0 += chunkLength)
                {
                    int active = 0;
                    while (active < count && rows[order[active]].Length + 1 > t0) active++;
                    int steps = Math.Min(chunkLength, totalSteps - t0);
                    var inputs = new long[active * steps];
                    var targets = new long[active * steps];
                    for (int r = 0; r < active; r++)
                    {
                        var row = rows[order[r]];
                        for (int t = 0; t < steps; t++)
                        {
                            int position = t0 + t;
                            inputs[r * steps + t] = position == 0 || position > row.Length ? CharVocabulary.BoundaryId : row[position - 1];
                            targets[r * steps + t] = position < row.Length ? row[position] : CharVocabulary.BoundaryId;
                        }
                    }

                    RecurrentState next;
                    float[] logProbabilities;
                    using (var scope = NewDisposeScope())
                    {
                        var ids = tensor(inputs, new long[] { active, steps }).to(device);
                        var (logits, topHidden, after) = network.Run(ids, state.Take(active));
                        var target = tensor(targets, new long[] { active, steps, 1 }).to(device);
                        logProbabilities = nn.functional.log_softmax(logits, 2).gather(2, target).cpu().data<float>().ToArray();
                        if (embedding != null) CopyFinalHidden(rows, order, active, t0, steps, topHidden, hidden, embedding);
                        next = after.DetachFromDisposeScope();
                    }
                    state.Dispose();
                    state = next;

                    for (int r = 0; r < active; r++)
                    {
                        int i = order[r], length = rows[i].Length + 1;
                        for (int t = 0; t < steps && t0 + t < length; t++)
                        {
                            float lp = logProbabilities[r * steps + t];
                            sums[i] += lp;
                            if (perPosition != null) perPosition[i][t0 + t] = lp;
                        }
                    }
                }
            }
            finally
            {
                state.Dispose();
            }
            for (int i = 0; i < count; i++) logLikelihood[i] = sums[i];
        }

        /// <summary>Copies the top-layer output at each row's last input position (its last character) when it falls in this chunk.</summary>
        private static void CopyFinalHidden(IReadOnlyList<int[]> rows, int[] order, int active, int t0, int steps, Tensor topHidden, int hidden, float[] embedding)
        {
            var flat = new List<long>();
            var destination = new List<int>();
            for (int r = 0; r < active; r++)
            {
                int last = rows[order[r]].Length; // input position of the last character (0 = the boundary, for an empty row)
                if (last >= t0 && last < t0 + steps)
                {
                    flat.Add((long)r * steps + (last - t0));
                    destination.Add(order[r]);
                }
            }
            if (flat.Count == 0) return;
            var selected = topHidden.reshape(-1, hidden).index_select(0, tensor(flat.ToArray()).to(topHidden.device)).cpu().data<float>().ToArray();
            for (int k = 0; k < destination.Count; k++)
                Array.Copy(selected, k * hidden, embedding, destination[k] * hidden, hidden);
        }
    }
}
