using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// Rows mode: every row is an independent sequence (boundary, characters, boundary). A batch holds rows of similar
    /// length (sorted within shuffled groups, to waste little on padding); rows longer than the window are trained in
    /// consecutive windows with the state carried (detached) between them: truncated BPTT within a row.
    /// Validation is the exact mean NLL per character of the held-out rows, computed as in scoring.
    /// </summary>
    internal sealed class RowsTrainingObjective : CharRnnObjective
    {
        private const int GroupBatches = 8;
        private readonly IReadOnlyList<int[]> _train;
        private readonly float[] _trainConditions;
        private readonly IReadOnlyList<int[]> _validation;
        private readonly float[] _validationConditions;
        private readonly int _batchSize;
        private readonly int _window;
        private readonly int _scoringChunk;
        private readonly Random _shuffle;
        private readonly List<(int[] rows, int window)> _work = new List<(int[] rows, int window)>();

        public RowsTrainingObjective(CharRnnNetwork network, IReadOnlyList<int[]> train, float[] trainConditions,
            IReadOnlyList<int[]> validation, float[] validationConditions, int batchSize, int window,
            ScheduledSampling schedule, double scheduleParameter, double maxSamplingProbability, int seed)
            : base(network, schedule, scheduleParameter, maxSamplingProbability, seed)
        {
            _train = train;
            _trainConditions = trainConditions;
            _validation = validation;
            _validationConditions = validationConditions;
            _batchSize = Math.Max(1, Math.Min(batchSize, train.Count));
            _window = window;
            _scoringChunk = Math.Max(window, 256);
            _shuffle = new Random(seed);
        }

        public override int BatchesPerEpoch => _work.Count;

        public override void StartEpoch(int epoch)
        {
            int n = _train.Count;
            var order = Enumerable.Range(0, n).ToArray();
            Shuffle(order);
            var batches = new List<int[]>();
            int group = _batchSize * GroupBatches;
            for (int g = 0; g < n; g += group)
            {
                var sorted = order.Skip(g).Take(group).OrderByDescending(i => _train[i].Length).ToArray();
                for (int b = 0; b < sorted.Length; b += _batchSize)
                    batches.Add(sorted.Skip(b).Take(_batchSize).ToArray());
            }
            var batchOrder = Enumerable.Range(0, batches.Count).ToArray();
            Shuffle(batchOrder);
            _work.Clear();
            foreach (int b in batchOrder)
            {
                int windows = (_train[batches[b][0]].Length + 1 + _window - 1) / _window;
                for (int w = 0; w < windows; w++) _work.Add((batches[b], w));
            }
        }

        public override (Tensor loss, long items) TrainingBatch(int batch)
        {
            var (rows, window) = _work[batch];
            int t0 = window * _window;
            int active = 0;
            while (active < rows.Length && _train[rows[active]].Length + 1 > t0) active++;
            int steps = Math.Min(_window, _train[rows[0]].Length + 1 - t0);
            var inputs = new long[active * steps];
            var targets = new long[active * steps];
            for (int r = 0; r < active; r++)
            {
                var row = _train[rows[r]];
                for (int t = 0; t < steps; t++)
                {
                    int position = t0 + t;
                    inputs[r * steps + t] = position == 0 || position > row.Length ? CharVocabulary.BoundaryId : row[position - 1];
                    targets[r * steps + t] = position < row.Length ? row[position] : position == row.Length ? CharVocabulary.BoundaryId : Ignore;
                }
            }

            RecurrentState state;
            if (window == 0)
            {
                ReleaseCarried();
                state = Network.InitialState(active, Conditions(_trainConditions, rows, active));
            }
            else
                state = Carried.Take(active);
            var (loss, items, next) = WindowLoss(inputs, targets, active, steps, state);
            Carry(next);
            return (loss, items);
        }

        private Tensor Conditions(float[] conditions, int[] rows, int count)
        {
            if (conditions is null) return null;
            int size = Network.Architecture.ConditionSize;
            var values = new float[count * size];
            for (int r = 0; r < count; r++) Array.Copy(conditions, rows[r] * size, values, r * size, size);
            return tensor(values, new long[] { count, size }).to(Device);
        }

        public override double? ValidationLoss()
        {
            if (_validation.Count == 0) return null;
            double total = 0;
            long characters = 0;
            const int chunk = 512;
            for (int start = 0; start < _validation.Count; start += chunk)
            {
                int count = Math.Min(chunk, _validation.Count - start);
                var rows = new int[count][];
                for (int i = 0; i < count; i++) rows[i] = _validation[start + i];
                float[] conditions = null;
                if (_validationConditions != null)
                {
                    int size = Network.Architecture.ConditionSize;
                    conditions = new float[count * size];
                    Array.Copy(_validationConditions, start * size, conditions, 0, count * size);
                }
                var ll = new double[count];
                RowLikelihood.Score(Network, rows, conditions, _scoringChunk, ll, null);
                for (int i = 0; i < count; i++)
                {
                    total -= ll[i];
                    characters += rows[i].Length + 1;
                }
            }
            return total / characters;
        }

        private void Shuffle(int[] values) => SeededShuffle.Shuffle(values, _shuffle);
    }
}
