using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// <see cref="ICharWindowScorer"/> of a <see cref="PlainCharRnn"/>: windows are scored in batches in evaluation mode
/// (no dropout) without gradients, each from the zero state; the input is w[0..L-2], the targets w[1..L-1], and the
/// targets at positions &gt;= the context length are summed. Also generates samples. Owns the model.
/// </summary>
internal sealed class PlainCharRnnScorer : ICharWindowScorer, IDisposable
{
    private readonly PlainCharRnn _model;
    private readonly CharVocabulary _vocabulary;
    private readonly int _batchSize;

    public PlainCharRnnScorer(PlainCharRnn model, CharVocabulary vocabulary, int batchSize, string name)
    {
        _model = model;
        _vocabulary = vocabulary;
        _batchSize = Math.Max(1, batchSize);
        Name = name;
    }

    public string Name { get; }

    public double[] NegativeLogLikelihoods(IReadOnlyList<string> windows, int contextLength)
    {
        int length = windows[0].Length;
        if (windows.Any(w => w.Length != length)) throw new ArgumentException("All windows must have the same length.");
        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            var result = new double[windows.Count];
            using var _ = no_grad();
            for (int start = 0; start < windows.Count; start += _batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(_batchSize, windows.Count - start);
                var ids = new long[count * length];
                for (int w = 0; w < count; w++) _vocabulary.Encode(windows[start + w]).CopyTo(ids, w * length);
                var tokens = tensor(ids, new long[] { count, length });
                var input = tokens.narrow(1, 0, length - 1);
                var target = tokens.narrow(1, 1, length - 1);
                var (logits, _) = _model.Forward(input, null);
                var nll = -logits.log_softmax(-1).gather(2, target.unsqueeze(2)).squeeze(2); // [count, length - 1]; column i predicts w[i + 1]
                var sums = nll.narrow(1, contextLength - 1, length - contextLength).to_type(ScalarType.Float64).sum(1).data<double>().ToArray();
                sums.CopyTo(result, start);
            }
            return result;
        }
        finally
        {
            if (wasTraining) _model.train();
        }
    }

    /// <summary>
    /// <paramref name="length"/> characters sampled after <paramref name="prompt"/> (fed from the zero state), from
    /// softmax(logits / temperature) with a generator seeded by <paramref name="seed"/>.
    /// </summary>
    public string Sample(string prompt, int length, double temperature, int seed)
    {
        if (string.IsNullOrEmpty(prompt)) throw new ArgumentException("The prompt needs at least one character.");
        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            using var _ = no_grad();
            using var generator = new Generator((ulong)seed);
            var sb = new System.Text.StringBuilder(length);
            PlainCharRnn.State state = null;
            long[] next = _vocabulary.Encode(prompt);
            using var scope = NewDisposeScope();
            for (int i = 0; i < length; i++)
            {
                var (logits, newState) = _model.Forward(tensor(next, new long[] { 1, next.Length }), state);
                state = newState;
                var probabilities = (logits[0, -1] / temperature).softmax(-1);
                long id = multinomial(probabilities, 1, generator: generator).item<long>();
                sb.Append(_vocabulary[(int)id]);
                next = new[] { id };
            }
            return sb.ToString();
        }
        finally
        {
            if (wasTraining) _model.train();
        }
    }

    public void Dispose() => _model.Dispose();
}
