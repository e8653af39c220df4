using System;
using Microsoft.ML.Generative.Numerics;
using Microsoft.ML.Generative.PixelModels;
using Microsoft.ML.Generative.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// Maximum likelihood of the discrete pixels under a pixel-autoregressive network, in bits per dimension: the mean
    /// cross-entropy of every sub-pixel's softmax, over shuffled mini-batches of images (and their class labels for a
    /// conditional model). No dequantization noise, so training is deterministic given the seed and validation is exact.
    /// </summary>
    internal sealed class PixelRnnTrainingObjective : ITrainingObjective, IDisposable
    {
        private const int ValidationChunk = 256;
        private readonly PixelNetwork _network;
        private readonly Tensor _train;             // [n, C, H, W] levels, as float
        private readonly Tensor _trainLabels;       // [n] int64, or null
        private readonly Tensor _validation;        // or null
        private readonly Tensor _validationLabels;  // or null
        private readonly Tensor _indices;           // 0..n-1: the rows ShuffledBatches draws
        private readonly ShuffledBatches _batches;
        private readonly double _bitsPerNat;        // 1 / ln 2: the loss is already a mean per sub-pixel

        public PixelRnnTrainingObjective(PixelNetwork network, float[] train, int trainRows, long[] trainLabels,
            float[] validation, int validationRows, long[] validationLabels, int batchSize, int seed, Device device)
        {
            _network = network;
            var a = network.Architecture;
            _train = Images(train, trainRows, a, device);
            _trainLabels = Labels(trainLabels, device);
            if (validationRows > 0)
            {
                _validation = Images(validation, validationRows, a, device);
                _validationLabels = Labels(validationLabels, device);
            }
            _indices = arange(trainRows, dtype: ScalarType.Int64).to(device).DetachFromDisposeScope();
            _batches = new ShuffledBatches(_indices, batchSize, seed);
            _bitsPerNat = 1 / Math.Log(2);
        }

        public nn.Module Model => _network;
        public int BatchesPerEpoch => _batches.Count;
        public string ItemName => "images";

        public void StartEpoch(int epoch) => _batches.Reshuffle();

        public (Tensor loss, long items) TrainingBatch(int batch)
        {
            var rows = _batches.Take(batch);
            var images = _train.index_select(0, rows);
            var labels = _trainLabels?.index_select(0, rows);
            var loss = PixelLikelihood.MeanNatsPerSubPixel(_network.Logits(images, labels), images) * _bitsPerNat;
            return (loss, images.shape[0]);
        }

        public double? ValidationLoss()
        {
            if (_validation is null) return null;
            long n = _validation.shape[0];
            double nats = 0;
            for (long start = 0; start < n; start += ValidationChunk)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(ValidationChunk, n - start);
                var images = _validation.narrow(0, start, count);
                var logits = _network.Logits(images, _validationLabels?.narrow(0, start, count));
                nats -= PixelLikelihood.PerImage(logits, images).to(ScalarType.Float64).sum().item<double>();
            }
            return BitsPerDimension.FromPixelSpaceNats(nats / n, _network.Architecture.Dimensions);
        }

        private static Tensor Images(float[] values, int rows, PixelArchitecture a, Device device)
            => tensor(values, new long[] { rows, a.Channels, a.Height, a.Width }).to(device).DetachFromDisposeScope();

        private static Tensor Labels(long[] labels, Device device)
            => labels is null ? null : tensor(labels).to(device).DetachFromDisposeScope();

        public void Dispose()
        {
            _train.Dispose();
            _trainLabels?.Dispose();
            _validation?.Dispose();
            _validationLabels?.Dispose();
            _batches.Dispose();
            _indices.Dispose();
        }
    }
}
