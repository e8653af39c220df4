using System;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Maximum likelihood for a vector Real NVP: mean negative log-likelihood per row of shuffled mini-batches, or,
    /// with a trim fraction, the mean over the most likely (1 - trim) of them (trimmed likelihood).
    /// </summary>
    internal sealed class RealNvpTrainingObjective : ITrainingObjective, IDisposable
    {
        private const int ValidationChunk = 8192;
        private readonly RealNvpNetwork _network;
        private readonly Tensor _train;
        private readonly Tensor _validation;      // with one fixed draw of training noise, if any
        private readonly Tensor _initialization;  // up to 4096 training rows (same noise), for ActNorm's data-dependent start
        private readonly Tensor _noiseScale; // [1, d] in original units, or null
        private readonly ShuffledBatches _batches;
        private readonly double _trimFraction;
        private readonly Generator _noise;
        private readonly Device _device;

        public RealNvpTrainingObjective(RealNvpNetwork network, float[] train, int trainRows, float[] validation, int validationRows,
            int features, int batchSize, float[] noiseStdDevs, double trimFraction, int seed, Device device)
        {
            _trimFraction = trimFraction;
            _network = network;
            _device = device;
            _train = tensor(train, new long[] { trainRows, features }).to(device).DetachFromDisposeScope();
            _noiseScale = noiseStdDevs is null ? null : tensor(noiseStdDevs).unsqueeze(0).to(device).DetachFromDisposeScope();
            _noise = new Generator((ulong)seed + 0x9E3779B9UL, CPU);
            using (var fixedNoise = new Generator((ulong)seed + 0x7F4A7C15UL, CPU))
            {
                // With training noise the model learns the density of (x + noise). Validation (early stopping) and the
                // data-dependent initialisation see that same distribution, through one fixed draw of noise: measured
                // on clean rows, the validation loss would rise as soon as the model starts learning the smoother
                // noisy density, and early stopping would keep a barely trained model.
                _validation = validationRows > 0 ? WithFixedNoise(tensor(validation, new long[] { validationRows, features }), fixedNoise).DetachFromDisposeScope() : null;
                _initialization = WithFixedNoise(_train.narrow(0, 0, Math.Min(4096, trainRows)), fixedNoise).DetachFromDisposeScope();
            }
            _batches = new ShuffledBatches(_train, batchSize, seed);
        }

        private Tensor WithFixedNoise(Tensor rows, Generator generator)
        {
            rows = rows.to(_device);
            if (_noiseScale is null) return rows;
            var eps = randn(rows.shape, generator: generator);
            return rows + (_device.type == DeviceType.CPU ? eps : eps.to(_device)) * _noiseScale;
        }

        public nn.Module Model => _network;
        public int BatchesPerEpoch => _batches.Count;
        public string ItemName => "rows";

        /// <summary>Data-dependent initialisation (ActNorm) from up to 4096 training rows (with training noise), before the first step.</summary>
        public void Initialize()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _network.train();
            _network.LogLikelihood(_initialization);
        }

        public void StartEpoch(int epoch) => _batches.Reshuffle();

        public (Tensor loss, long items) TrainingBatch(int batch)
        {
            var x = _batches.Take(batch);
            long count = x.shape[0];
            if (_noiseScale is not null)
            {
                var eps = randn(new long[] { count, x.shape[1] }, generator: _noise);
                x = x + (_device.type == DeviceType.CPU ? eps : eps.to(_device)) * _noiseScale;
            }
            return (TrimmedMean(-_network.LogLikelihood(x)), count);
        }

        /// <summary>The mean of the smallest (1 - trim) share of per-row losses; the plain mean without trimming.</summary>
        private Tensor TrimmedMean(Tensor losses)
        {
            if (_trimFraction <= 0) return losses.mean();
            long keep = Math.Max(1, (long)Math.Ceiling((1 - _trimFraction) * losses.shape[0]));
            return losses.topk((int)keep, largest: false).values.mean();
        }

        public double? ValidationLoss()
        {
            if (_validation is null) return null;
            long n = _validation.shape[0];
            var losses = new Tensor[(n + ValidationChunk - 1) / ValidationChunk];
            for (long start = 0, k = 0; start < n; start += ValidationChunk, k++)
                losses[k] = -_network.LogLikelihood(_validation.narrow(0, start, Math.Min(ValidationChunk, n - start)));
            return TrimmedMean(cat(losses, 0)).item<float>();
        }

        public void Dispose()
        {
            _train.Dispose();
            _validation?.Dispose();
            _initialization.Dispose();
            _noiseScale?.Dispose();
            _batches.Dispose();
            _noise.Dispose();
        }
    }
}
