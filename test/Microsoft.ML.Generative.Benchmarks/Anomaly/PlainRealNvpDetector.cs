using Microsoft.ML.Generative.Benchmarks.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Anomaly;

/// <summary>
/// Trains <see cref="PlainRealNvp"/> the textbook way: features standardised with the training part's mean and std,
/// 8 couplings, hidden width max(64, 8d) capped at 256, Adam (lr 1e-3, no weight decay, no clipping, no noise),
/// batch 256, 10% of the training part held out (seeded) for early stopping with patience 20 and best-weights
/// restore, at most 200 epochs. Score = -log p(x) of the standardised test row.
/// <see cref="PlainRealNvpExperiment"/> settings (command line --plain) change the training for experiments about
/// what the library could add; the protocol's reference is the default (no noise, no trimming).
/// </summary>
internal sealed class PlainRealNvpDetector : IAnomalyDetector
{
    public const int Couplings = 8, BatchSize = 256, Patience = 20;
    public const double LearningRate = 1e-3, ValidationFraction = 0.1;
    private readonly int _maxEpochs;
    private readonly PlainRealNvpExperiment _experiment;

    public PlainRealNvpDetector(int maxEpochs = 200, PlainRealNvpExperiment experiment = null)
    {
        _maxEpochs = maxEpochs;
        _experiment = experiment ?? new PlainRealNvpExperiment();
    }

    public string Key => "plain";
    public string Name => "Plain Real NVP (TorchSharp)";

    public static int HiddenSize(int features) => Math.Min(256, Math.Max(64, 8 * features));

    public DetectionResult Run(SplitData split)
    {
        int d = split.FeatureCount, n = split.TrainRows;
        var (mean, std) = Standardization(split.Train, n, d);
        var rng = new Random(split.Seed);
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        int validationRows = (int)(n * ValidationFraction);

        random.manual_seed(split.Seed);
        var (model, logLikelihood) = CreateModel(d);
        using var _ = model;
        using var fit = Standardized(split.Train, order.Skip(validationRows).ToArray(), d, mean, std);
        using var validation = Standardized(split.Train, order.Take(validationRows).ToArray(), d, mean, std);
        using var test = Standardized(split.Test, Enumerable.Range(0, split.TestRows).ToArray(), d, mean, std);
        var parameters = model.parameters().ToList();
        using optim.Optimizer optimizer = _experiment.WeightDecay > 0
            ? optim.AdamW(parameters, lr: LearningRate, weight_decay: _experiment.WeightDecay)
            : optim.Adam(parameters, lr: LearningRate);

        int fitRows = (int)fit.shape[0], batch = Math.Min(BatchSize, fitRows);
        var best = Snapshot(model);
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, epoch = 0;
        var index = new long[fitRows];
        using var noise = new Generator((ulong)split.Seed + 17, CPU);
        for (epoch = 1; epoch <= _maxEpochs; epoch++)
        {
            model.train();
            for (int i = 0; i < fitRows; i++) index[i] = i;
            for (int i = fitRows - 1; i > 0; i--) { int j = rng.Next(i + 1); (index[i], index[j]) = (index[j], index[i]); }
            using var shuffled = tensor(index);
            bool diverged = false;
            for (int start = 0; start + 2 <= fitRows; start += batch)
            {
                using var scope = NewDisposeScope();
                var x = fit.index_select(0, shuffled.narrow(0, start, Math.Min(batch, fitRows - start)));
                if (_experiment.TrainingNoise > 0) x = x + randn(x.shape, generator: noise) * _experiment.TrainingNoise;
                var loss = TrimmedMean(-logLikelihood(x), _experiment.TrimFraction);
                if (!float.IsFinite(loss.item<float>())) { diverged = true; break; }
                optimizer.zero_grad();
                loss.backward();
                if (_experiment.GradientClipNorm > 0 && !double.IsFinite(nn.utils.clip_grad_norm_(parameters, _experiment.GradientClipNorm))) continue;
                optimizer.step();
            }
            if (diverged) break;

            model.eval();
            double validationLoss;
            using (no_grad())
            using (NewDisposeScope())
                validationLoss = TrimmedMean(-logLikelihood(validation), _experiment.TrimFraction).item<float>();
            if (validationLoss < bestLoss)
            {
                bestLoss = validationLoss;
                bestEpoch = epoch;
                sinceBest = 0;
                Dispose(best);
                best = Snapshot(model);
            }
            else if (++sinceBest >= Patience) break;
        }
        Restore(model, best);
        Dispose(best);

        model.eval();
        float[] scores;
        using (no_grad())
        using (NewDisposeScope())
            scores = (-logLikelihood(test)).data<float>().ToArray();
        for (int i = 0; i < scores.Length; i++)
            if (float.IsNaN(scores[i])) scores[i] = float.PositiveInfinity;
        return new DetectionResult(scores, Epochs: Math.Min(epoch, _maxEpochs), BestEpoch: bestEpoch);
    }

    /// <summary>
    /// The plain network, or (experiment) the library's own public <see cref="Microsoft.ML.Generative.Flows.RealNvpNetwork"/> with its default
    /// architecture, on the already standardised rows (its standardisation layer is then the identity).
    /// </summary>
    private (nn.Module model, Func<Tensor, Tensor> logLikelihood) CreateModel(int d)
    {
        if (!_experiment.LibraryNetwork)
        {
            var plain = new PlainRealNvp(d, Couplings, HiddenSize(d));
            return (plain, plain.LogLikelihood);
        }
        var defaults = new RealNvpOptions();
        var network = new Microsoft.ML.Generative.Flows.RealNvpNetwork(new Microsoft.ML.Generative.Flows.RealNvpArchitecture
        {
            Features = d, Couplings = defaults.NumberOfCouplingLayers, HiddenSize = HiddenSize(d), HiddenLayers = defaults.NumberOfHiddenLayers,
            Activation = defaults.Activation, Normalization = defaults.Normalization, BoundLogScale = defaults.BoundLogScale,
        }, new float[d], Enumerable.Repeat(1f, d).ToArray());
        return (network, network.LogLikelihood);
    }

    /// <summary>The mean of the smallest (1 - trim) fraction of the per-row losses (the plain mean when trim is 0).</summary>
    private static Tensor TrimmedMean(Tensor losses, double trim)
    {
        if (trim <= 0) return losses.mean();
        long keep = Math.Max(1, (long)Math.Ceiling((1 - trim) * losses.shape[0]));
        return losses.topk((int)keep, largest: false).values.mean();
    }

    private static (double[] mean, double[] std) Standardization(float[] rows, int n, int d)
    {
        var mean = new double[d];
        var std = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += rows[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) { double c = rows[r * d + j] - mean[j]; std[j] += c * c; }
        for (int j = 0; j < d; j++)
        {
            std[j] = Math.Sqrt(std[j] / Math.Max(1, n - 1));
            if (!(std[j] > 1e-12)) std[j] = 1;
        }
        return (mean, std);
    }

    private static Tensor Standardized(float[] rows, int[] which, int d, double[] mean, double[] std)
    {
        var values = new float[which.Length * d];
        for (int r = 0; r < which.Length; r++)
            for (int j = 0; j < d; j++)
                values[r * d + j] = (float)((rows[which[r] * d + j] - mean[j]) / std[j]);
        return tensor(values, new long[] { which.Length, d });
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var _ = no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Restore(nn.Module model, Dictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, t) in model.state_dict()) t.copy_(state[name]);
    }

    private static void Dispose(Dictionary<string, Tensor> state)
    {
        foreach (var t in state.Values) t.Dispose();
    }
}
