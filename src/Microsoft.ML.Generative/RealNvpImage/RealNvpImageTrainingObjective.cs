using System;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Numerics;
using Microsoft.ML.Generative.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Maximum likelihood for the image Real NVP, in bits per dimension: each batch is dequantized with fresh U[0,1)
    /// noise (so the model learns a continuous density whose bins hold the discrete images' probabilities), plus the
    /// L2 penalty on the couplings' scale parameters. Validation uses one fixed draw of noise, so it is comparable
    /// across epochs.
    /// </summary>
    internal sealed class RealNvpImageTrainingObjective : ITrainingObjective, IDisposable
    {
        private const int ValidationChunk = 512;
        private readonly RealNvpImageNetwork _network;
        private readonly Tensor _train;        // [n, C, H, W] integer levels, as float
        private readonly Tensor _validation;   // dequantized once, or null
        private readonly ShuffledBatches _batches;
        private readonly double _bitsPerNat;   // 1 / (D ln 2)
        private readonly double _scaleL2;
        private readonly Generator _noise;
        private readonly int _seed;

        public RealNvpImageTrainingObjective(RealNvpImageNetwork network, float[] train, int trainRows, float[] validation, int validationRows,
            int batchSize, double scaleL2, int seed, Device device)
        {
            _network = network;
            var a = network.Architecture;
            var shape = new long[] { 0, a.Channels, a.Height, a.Width };
            shape[0] = trainRows;
            _train = tensor(train, shape).to(device).DetachFromDisposeScope();
            _noise = new Generator((ulong)seed + 0x9E3779B9UL, CPU);
            if (validationRows > 0)
            {
                using var fixedNoise = new Generator((ulong)seed + 0x7F4A7C15UL, CPU);
                shape[0] = validationRows;
                _validation = network.Dequantize(tensor(validation, shape), fixedNoise).to(device).DetachFromDisposeScope();
            }
            _batches = new ShuffledBatches(_train, batchSize, seed);
            _bitsPerNat = BitsPerDimension.PerNat(a.Dimensions);
            _scaleL2 = scaleL2;
            _seed = seed;
        }

        public nn.Module Model => _network;
        public int BatchesPerEpoch => _batches.Count;
        public string ItemName => "images";

        /// <summary>
        /// ActNorm layers initialise themselves from the first batch they see in training mode: give them up to 512
        /// dequantized training images (with noise of their own, so the training draws are the same with any normalisation).
        /// </summary>
        public void Initialize()
        {
            if (_network.Architecture.Normalization != FlowNormalization.ActNorm) return;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var noise = new Generator((ulong)_seed + 0x2545F491UL, CPU);
            _network.train();
            _network.LogLikelihood(_network.Dequantize(_train.narrow(0, 0, Math.Min(512, _train.shape[0])), noise));
        }

        public void StartEpoch(int epoch) => _batches.Reshuffle();

        public (Tensor loss, long items) TrainingBatch(int batch)
        {
            var pixels = _batches.Take(batch);
            var v = _network.Dequantize(pixels, _noise);
            var loss = -_network.LogLikelihood(v).mean() * _bitsPerNat;
            if (_scaleL2 > 0)
                foreach (var scale in _network.ScaleParameters())
                    loss = loss + _scaleL2 * scale.pow(2).sum();
            return (loss, pixels.shape[0]);
        }

        public double? ValidationLoss()
        {
            if (_validation is null) return null;
            long n = _validation.shape[0];
            double total = 0;
            for (long start = 0; start < n; start += ValidationChunk)
            {
                using var scope = NewDisposeScope();
                total += _network.LogLikelihood(_validation.narrow(0, start, Math.Min(ValidationChunk, n - start))).sum().item<float>();
            }
            return -total / n * _bitsPerNat;
        }

        public void Dispose()
        {
            _train.Dispose();
            _validation?.Dispose();
            _batches.Dispose();
            _noise.Dispose();
        }
    }
}
