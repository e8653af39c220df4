using Microsoft.ML.Generative.Tests.Infrastructure;

namespace Microsoft.ML.Generative.Tests.CharRnn;

/// <summary>One small Rows-mode LSTM trained once on synthetic log lines, shared by the char-RNN pipeline tests.</summary>
public sealed class CharRnnFixture : IDisposable
{
    public CharRnnFixture()
    {
        Ml = new MLContext(seed: 1);
        TrainLines = TextRows.LogLines(600, seed: 11);
        TestLines = TextRows.LogLines(60, seed: 12);
        Train = TextRows.Load(Ml, TrainLines);
        Options = new CharRnnOptions
        {
            HiddenSize = 48, EmbeddingSize = 16, NumberOfLayers = 2, MaxEpochs = 12, BatchSize = 32,
            SequenceLength = 24, // rows are longer than this, so training uses several windows per row (truncated BPTT)
            LearningRate = 1e-2f, Seed = 3, NumberOfThreads = TestThreads.Count,
        };
        Model = Ml.Generative().CharRnn(Options).Fit(Train);
    }

    public MLContext Ml { get; }
    public List<string> TrainLines { get; }
    public List<string> TestLines { get; }
    public IDataView Train { get; }
    public CharRnnOptions Options { get; }
    public CharRnnTransformer Model { get; }

    public void Dispose() => Model.Dispose();
}
