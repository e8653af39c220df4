using System.Diagnostics;
using Microsoft.ML.Generative.Flows;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Speed;

/// <summary>
/// The baseline of the training-throughput comparison: the library's own public network classes
/// (<see cref="RealNvpNetwork"/>, same architecture, same standardisation) trained by the shortest reasonable
/// hand-written TorchSharp loop: seeded shuffle per epoch, index_select batches, mean NLL, Adam, no validation,
/// no clipping, no snapshots. With <c>StepExtras</c> each step also does what the library's loop does besides
/// forward/backward/step (read the loss, global gradient norm with clipping, AdamW weight decay), which separates
/// the cost of those safety features from the rest of the library's overhead.
/// </summary>
internal static class RawTrainingLoop
{
    /// <summary>The trained network, the wall-clock seconds from float[] to trained network, and the rows/s of every epoch's steps.</summary>
    /// <summary>Per-step extras of the library's loop: AdamW weight decay and gradient clipping norm; null = plain Adam step.</summary>
    public sealed record StepExtras(double WeightDecay, double GradientClipNorm);

    public static (RealNvpNetwork network, double seconds, double[] epochRowsPerSecond, long rowsTrained) Train(
        RealNvpArchitecture architecture, float[] values, int rows, int epochs, int batchSize, double learningRate, int seed, StepExtras extras = null)
    {
        var total = Stopwatch.StartNew();
        int d = architecture.Features;
        var (means, stdDevs) = MeanAndStd(values, rows, d);
        random.manual_seed(seed);
        var network = new RealNvpNetwork(architecture, means, stdDevs);
        using var data = tensor(values, new long[] { rows, d });
        var parameters = network.parameters().ToList();
        using optim.Optimizer optimizer = extras is null
            ? optim.Adam(parameters, lr: learningRate)
            : optim.AdamW(parameters, lr: learningRate, weight_decay: extras.WeightDecay);
        var rng = new Random(seed);
        var order = new long[rows];
        var epochSpeed = new double[epochs];
        long rowsTrained = 0;
        int batch = Math.Min(batchSize, rows);
        network.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < rows; i++) order[i] = i;
            for (int i = rows - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            using var shuffled = tensor(order);
            long epochRows = 0;
            for (int start = 0; start + 2 <= rows; start += batch)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batch, rows - start);
                var x = data.index_select(0, shuffled.narrow(0, start, count));
                var loss = -network.LogLikelihood(x).mean();
                optimizer.zero_grad();
                if (extras is not null && !float.IsFinite(loss.item<float>())) throw new InvalidOperationException("diverged");
                loss.backward();
                if (extras is not null && !double.IsFinite(nn.utils.clip_grad_norm_(parameters, extras.GradientClipNorm))) continue;
                optimizer.step();
                epochRows += count;
            }
            clock.Stop();
            epochSpeed[epoch] = epochRows / clock.Elapsed.TotalSeconds;
            rowsTrained += epochRows;
        }
        network.eval();
        return (network, total.Elapsed.TotalSeconds, epochSpeed, rowsTrained);
    }

    private static (float[] means, float[] stdDevs) MeanAndStd(float[] values, int rows, int d)
    {
        var mean = new double[d];
        var m2 = new double[d];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++) mean[j] += values[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= rows;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++) { double c = values[r * d + j] - mean[j]; m2[j] += c * c; }
        var means = mean.Select(m => (float)m).ToArray();
        var stds = m2.Select((s, j) => (float)Math.Max(Math.Sqrt(s / (rows - 1)), 1e-3)).ToArray();
        return (means, stds);
    }
}
