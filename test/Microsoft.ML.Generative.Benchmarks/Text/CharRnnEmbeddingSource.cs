namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The library's char-RNN as a featurizer in the Detox protocol: fitted (Rows mode, no labels) on the training texts,
/// then its <c>Embedding</c> column (top-layer hidden state after the text, [forward; backward]) per text, through a
/// PredictionEngine (the protocol asks for one text at a time).
/// </summary>
internal static class CharRnnEmbeddingSource
{
    public static ITextEmbeddingSource Source { get; } = new DelegateTextEmbeddingSource("charrnn",
        "char-RNN Embedding (ours: bidirectional LSTM 2 x 128, 30 epochs)", (texts, seed) =>
        {
            var ml = new MLContext(seed);
            var model = ml.Generative().CharRnn(new CharRnnOptions
            {
                TextColumnName = "Text", Bidirectional = true, HiddenSize = 128, NumberOfLayers = 2, MaxEpochs = 30, BatchSize = 16, Seed = seed,
            }).Fit(ml.Data.LoadFromEnumerable(texts.Select(t => new TextLine { Text = t }).ToList()));
            var engine = ml.Model.CreatePredictionEngine<TextLine, EmbeddingRow>(model);
            return text => engine.Predict(new TextLine { Text = text }).Embedding;
        });

    private sealed class EmbeddingRow
    {
        public float[] Embedding { get; set; }
    }
}
