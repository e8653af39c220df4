using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// Stream mode: the rows are lines of one long text (each followed by the boundary symbol, which stands for the line
    /// break). The text is cut into BatchSize contiguous segments read in parallel, window after window, with the
    /// state carried (detached) from one window to the next: truncated BPTT over the whole text. Each epoch starts at a
    /// random offset within the first window, so windows do not always begin at the same characters.
    /// Validation is the mean NLL per character of the held-out text (its tail), read the same way with the state carried.
    /// </summary>
    internal sealed class StreamTrainingObjective : CharRnnObjective
    {
        private readonly int[] _train;
        private readonly int[] _validation;
        private readonly int _segments;
        private readonly int _segmentLength;
        private readonly int _window;
        private readonly Random _offsets;
        private int _offset;

        public StreamTrainingObjective(CharRnnNetwork network, int[] train, int[] validation, int batchSize, int window,
            ScheduledSampling schedule, double scheduleParameter, double maxSamplingProbability, int seed)
            : base(network, schedule, scheduleParameter, maxSamplingProbability, seed)
        {
            _train = train;
            _validation = validation;
            (_segments, _window) = Layout(train.Length, batchSize, window);
            _segmentLength = train.Length / _segments;
            _offsets = new Random(seed);
        }

        /// <summary>Segments and window length so that every segment holds at least two windows (shorter texts get fewer, shorter ones).</summary>
        internal static (int segments, int window) Layout(int length, int batchSize, int window)
        {
            if (length < 3) throw new InvalidOperationException($"The training text has {length} symbols; expected at least 3.");
            int segments = Math.Max(1, Math.Min(batchSize, length / (2 * window)));
            int w = Math.Max(1, Math.Min(window, length / segments / 2));
            return (segments, w);
        }

        /// <summary>Full windows per epoch; the random start offset (below one window) always leaves room for them and their targets.</summary>
        public override int BatchesPerEpoch => Math.Max(1, (_segmentLength - _window) / _window);

        public override void StartEpoch(int epoch)
        {
            _offset = _offsets.Next(Math.Max(1, Math.Min(_window, _segmentLength - BatchesPerEpoch * _window)));
            ReleaseCarried();
        }

        public override (Tensor loss, long items) TrainingBatch(int batch)
        {
            int start = _offset + batch * _window;
            var (inputs, targets) = Window(_train, _segments, _segmentLength, start, _window);
            var state = batch == 0 || Carried is null ? Network.InitialState(_segments) : Carried;
            var (loss, items, next) = WindowLoss(inputs, targets, _segments, _window, state);
            Carry(next);
            return (loss, items);
        }

        public override double? ValidationLoss() => _validation is null || _validation.Length < 2 ? null : StreamLoss(_validation);

        /// <summary>Mean NLL per predicted symbol of <paramref name="text"/>, read in parallel segments with the state carried.</summary>
        private double StreamLoss(int[] text)
        {
            var (segments, window) = Layout(Math.Max(3, text.Length), _segments, _window);
            int segmentLength = text.Length / segments;
            double total = 0;
            long items = 0;
            RecurrentState state = null;
            try
            {
                for (int start = 0; start + 1 < segmentLength; start += window)
                {
                    int steps = Math.Min(window, segmentLength - 1 - start);
                    var (inputs, targets) = Window(text, segments, segmentLength, start, steps);
                    using var scope = NewDisposeScope();
                    var (loss, n, next) = WindowLoss(inputs, targets, segments, steps, state ?? Network.InitialState(segments));
                    total += loss.item<float>() * (double)n;
                    items += n;
                    var kept = next.DetachFromDisposeScope();
                    state?.Dispose();
                    state = kept;
                }
            }
            finally
            {
                state?.Dispose();
            }
            return items == 0 ? double.NaN : total / items;
        }

        private static (long[] inputs, long[] targets) Window(int[] text, int segments, int segmentLength, int start, int steps)
        {
            var inputs = new long[segments * steps];
            var targets = new long[segments * steps];
            for (int s = 0; s < segments; s++)
            {
                int baseIndex = s * segmentLength + start;
                for (int t = 0; t < steps; t++)
                {
                    inputs[s * steps + t] = text[baseIndex + t];
                    targets[s * steps + t] = text[baseIndex + t + 1];
                }
            }
            return (inputs, targets);
        }
    }
}
