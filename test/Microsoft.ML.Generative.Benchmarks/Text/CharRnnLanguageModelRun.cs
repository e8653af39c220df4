using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The library's char-RNN on tiny-shakespeare, through its public API: Stream mode on the text's lines with a
/// training-time budget, the held-out rows being exactly the validation text's lines (so it never trains on them; it
/// uses them for early stopping, as the library does). Validation windows are scored with <c>ScoreCharacters</c>,
/// which in Stream mode reads line breaks as the end-of-row symbol, from the initial state, like the other models.
/// </summary>
internal static class CharRnnLanguageModelRun
{
    /// <summary>The library's options for this benchmark before overrides: the plain loop's architecture and optimiser.</summary>
    public static CharRnnOptions Options(double minutes, int seed) => new CharRnnOptions
    {
        TextColumnName = "Text",
        ContextMode = CharRnnContextMode.Stream,
        HiddenSize = 384, EmbeddingSize = 64, NumberOfLayers = 2, Dropout = 0.1f,
        BatchSize = 64, SequenceLength = 128,
        LearningRate = 3e-3f, LearningRateSchedule = LearningRateSchedule.Cosine, GradientClipNorm = 1f, WeightDecay = 0.01f,
        MaxEpochs = 1000, EarlyStoppingPatience = 0,
        MaxTrainingTime = TimeSpan.FromMinutes(minutes),
        Seed = seed,
    };

    public static CharRnnTransformer Train(TinyShakespeare data, CharRnnOptions options, MLContext ml)
    {
        var trainLines = data.Train.Split('\n');
        var validationLines = data.Validation.Split('\n');
        int n = trainLines.Length + validationLines.Length;
        // floor(n * fraction) must be exactly the validation line count.
        options.ValidationFraction = (float)((validationLines.Length + 0.5) / n);
        var rows = trainLines.Concat(validationLines).Select(l => new TextLine { Text = l }).ToList();
        return ml.Generative().CharRnn(options).Fit(ml.Data.LoadFromEnumerable(rows));
    }

    public static ICharWindowScorer Scorer(CharRnnTransformer model, string name) => new DelegateCharWindowScorer(name, (windows, context) =>
    {
        var result = new double[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            var characters = model.ScoreCharacters(windows[w]);
            // One entry per character (line breaks as end-of-row entries), then the closing end-of-row: not scored here.
            if (characters.Count != windows[w].Length + 1)
                throw new InvalidOperationException($"ScoreCharacters returned {characters.Count} entries for a window of {windows[w].Length} characters.");
            double sum = 0;
            for (int i = context; i < windows[w].Length; i++) sum -= characters[i].LogProbability;
            result[w] = sum;
        }
        return result;
    });
}
