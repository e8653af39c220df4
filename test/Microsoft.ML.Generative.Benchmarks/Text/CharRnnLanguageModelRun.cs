using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The library's char-RNN on tiny-shakespeare, through its public API: Stream mode with a training-time budget. Fit
/// sees the training text's lines followed by the validation text's lines, and holds out exactly the latter (the last
/// rows, in Stream mode) to pick its best epoch; the test text is never given to it. Windows are scored with
/// <c>ScoreCharacters</c>, which in Stream mode reads line breaks as the end-of-row symbol, from the initial state,
/// like the other models.
/// </summary>
internal static class CharRnnLanguageModelRun
{
    /// <summary>
    /// The library's options for one budget: the recipe's architecture and optimiser, Stream mode, a cosine schedule
    /// over <paramref name="minutes"/> (MaxTrainingTime), never stopping early (the best epoch is kept).
    /// </summary>
    public static CharRnnOptions Options(CharLmRecipe recipe, double minutes, int seed) => new CharRnnOptions
    {
        TextColumnName = "Text",
        ContextMode = CharRnnContextMode.Stream,
        CellType = recipe.Cell,
        HiddenSize = recipe.HiddenSize, EmbeddingSize = recipe.EmbeddingSize, NumberOfLayers = recipe.Layers, Dropout = (float)recipe.Dropout,
        BatchSize = recipe.BatchSize, SequenceLength = recipe.SequenceLength,
        LearningRate = (float)recipe.LearningRate, LearningRateSchedule = LearningRateSchedule.Cosine,
        GradientClipNorm = (float)recipe.GradientClipNorm, WeightDecay = (float)recipe.WeightDecay,
        MaxEpochs = 1000, EarlyStoppingPatience = 0,
        MaxTrainingTime = TimeSpan.FromMinutes(minutes),
        Seed = seed,
    };

    /// <summary>Fits on the training and validation texts (the validation lines held out); sets <c>ValidationFraction</c> to match.</summary>
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
