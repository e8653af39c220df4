using System;
using System.Linq;
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
        private readonly int _batchSize;
        private readonly double _bitsPerNat;   // 1 / (D ln 2)
        private readonly double _scaleL2;
        private readonly Random _shuffle;
        private readonly Generator _noise;
        private readonly Device _device;
        private readonly int _seed;
        private Tensor _order;

        public RealNvpImageTrainingObjective(RealNvpImageNetwork network, float[] train, int trainRows, float[] validation, int validationRows,
            int batchSize, double scaleL2, int seed, Device device)
        {
            _network = network;
            _device = device;
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
            _batchSize = Math.Min(batchSize, trainRows);
            int full = trainRows / _batchSize, rest = trainRows % _batchSize;
            BatchesPerEpoch = full + (rest >= 2 ? 1 : 0);
            _bitsPerNat = BitsPerDimension.PerNat(a.Dimensions);
            _scaleL2 = scaleL2;
            _shuffle = new Random(seed);
            _seed = seed;
        }

        public nn.Module Model => _network;
        public int BatchesPerEpoch { get; }
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

        public void StartEpoch(int epoch)
        {
            int n = (int)_train.shape[0];
            var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
            SeededShuffle.Shuffle(order, _shuffle);
            _order?.Dispose();
            _order = tensor(order).to(_device).DetachFromDisposeScope();
        }

        public (Tensor loss, long items) TrainingBatch(int batch)
        {
            long start = (long)batch * _batchSize;
            long count = Math.Min(_batchSize, _train.shape[0] - start);
            var pixels = _train.index_select(0, _order.narrow(0, start, count));
            var v = _network.Dequantize(pixels, _noise);
            var loss = -_network.LogLikelihood(v).mean() * _bitsPerNat;
            if (_scaleL2 > 0)
                foreach (var scale in _network.ScaleParameters())
                    loss = loss + _scaleL2 * scale.pow(2).sum();
            return (loss, count);
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
            _order?.Dispose();
            _noise.Dispose();
        }
    }
}
