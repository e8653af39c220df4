using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// Char-RNN scoring speed: rows/s of the library's Transform + cursor (rows batched inside the cursor) against
/// hand-written batched TorchSharp scoring of the same architecture (<see cref="RawCharLstmRowScoring"/>), and of
/// PredictionEngine (one row per call). The rows are BGL log lines (labels removed), repeated to the requested count.
/// Rounds alternate ours and raw, so background load hits both alike; the median ratio is reported.
/// </summary>
internal static class TextSpeedBenchmark
{
    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        int rowCount = commandLine.Int("rows", 100_000), rounds = commandLine.Int("rounds", 3), predictions = commandLine.Int("predictions", 2000);
        int hidden = commandLine.Int("hidden", 256), layers = commandLine.Int("layers", 2), embedding = commandLine.Int("embedding", 64);
        int batchSize = commandLine.Int("batch", 256);
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        string header = RunEnvironment.Header("Speed: char-RNN scoring through Transform against hand-written TorchSharp", commandLine);

        var log = BglLog.Load(dataDirectory);
        var texts = Enumerable.Range(0, rowCount).Select(i => log.Messages[i % log.Lines]).ToArray();
        long characters = texts.Sum(t => (long)t.Length);
        var ml = new MLContext(seed: 0);
        var view = ml.Data.LoadFromEnumerable(texts.Select(t => new TextLine { Text = t }));

        // A briefly trained model: speed does not depend on the weights, only on the architecture.
        var options = new CharRnnOptions
        {
            TextColumnName = "Text", CellType = CharRnnCellType.Lstm, HiddenSize = hidden, NumberOfLayers = layers, EmbeddingSize = embedding,
            MaxEpochs = 1, ValidationFraction = 0, EarlyStoppingPatience = 0, Seed = 0, ScoringBatchSize = batchSize,
        };
        Console.Error.WriteLine("training a small model...");
        using var model = ml.Generative().CharRnn(options).Fit(ml.Data.LoadFromEnumerable(log.Messages.Take(400).Select(t => new TextLine { Text = t }).ToList()));

        var vocabulary = new CharVocabulary(string.Concat(log.Messages));
        long boundary = vocabulary.Size;
        var encoded = texts.Select(vocabulary.Encode).ToArray();
        TorchSharp.torch.random.manual_seed(0);
        using var raw = new PlainCharRnn(vocabulary.Size + 1, new CharLmRecipe { Cell = CharRnnCellType.Lstm, EmbeddingSize = embedding, HiddenSize = hidden, Layers = layers, Dropout = 0 });

        Console.Error.WriteLine("warm-up...");
        ScoreThroughTransform(model, ml.Data.LoadFromEnumerable(texts.Take(2 * batchSize).Select(t => new TextLine { Text = t })));
        RawCharLstmRowScoring.LogLikelihoods(raw, encoded.Take(2 * batchSize).ToArray(), boundary, batchSize);

        var scoring = new List<(double ours, double raw)>();
        for (int round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            ScoreThroughTransform(model, view);
            double ours = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var sums = RawCharLstmRowScoring.LogLikelihoods(raw, encoded, boundary, batchSize);
            double rawSeconds = clock.Elapsed.TotalSeconds;
            if (sums.Any(s => !float.IsFinite(s))) throw new InvalidOperationException("The raw scorer produced a non-finite log-likelihood.");
            scoring.Add((ours, rawSeconds));
            Console.Error.WriteLine($"round {round}: Transform+cursor {rowCount / ours:N0} rows/s, raw batched {rowCount / rawSeconds:N0} rows/s");
        }

        int single = Math.Min(predictions, rowCount);
        var engine = ml.Model.CreatePredictionEngine<TextLine, LinePrediction>(model);
        var lines = texts.Take(single).Select(t => new TextLine { Text = t }).ToArray();
        var prediction = new LinePrediction();
        for (int i = 0; i < Math.Min(200, single); i++) engine.Predict(lines[i], ref prediction);
        var engineClock = Stopwatch.StartNew();
        foreach (var line in lines) engine.Predict(line, ref prediction);
        double engineSeconds = engineClock.Elapsed.TotalSeconds;
        engine.Dispose();

        double Median(Func<(double ours, double raw), double> f) => Statistics.Median(scoring.Select(f));
        var sb = new StringBuilder(header);
        sb.AppendLine($"""
            Rows: the {log.Lines:N0} BGL messages (`{BglLog.RelativePath}`, label field removed) repeated to {rowCount:N0} rows, {characters:N0} characters (mean {characters / (double)rowCount:F1} per row), from `ml.Data.LoadFromEnumerable` over in-memory objects.
            Network: LSTM {layers} x {hidden}, embedding {embedding}, vocabulary {vocabulary.Size + 1} (raw) / {model.Vocabulary.Count + 2} (ours: characters + boundary + unknown symbol).
            Ours: `Transform` + one cursor reading `Score` of every row (ScoringBatchSize {batchSize}; the Embedding column is not read). Raw: `RawCharLstmRowScoring`, batches of {batchSize} rows in source order padded to the batch's longest row, one network call per batch, the same row likelihood (boundary, characters, end-of-row symbol).

            """);
        var table = new MarkdownTable("round", "ours rows/s", "raw rows/s", "ours / raw");
        for (int i = 0; i < scoring.Count; i++)
            table.Add((i + 1).ToString(), (rowCount / scoring[i].ours).ToString("N0"), (rowCount / scoring[i].raw).ToString("N0"), (scoring[i].raw / scoring[i].ours).ToString("F3"));
        table.Add("median", (rowCount / Median(s => s.ours)).ToString("N0"), (rowCount / Median(s => s.raw)).ToString("N0"), Statistics.Median(scoring.Select(s => s.raw / s.ours)).ToString("F3"));
        sb.AppendLine(table.ToString());
        sb.AppendLine($"Characters scored per second through Transform (median round): {characters / Median(s => s.ours):N0}.");
        sb.AppendLine($"PredictionEngine, one row per call: {single / engineSeconds:N0} rows/s over {single:N0} rows (after 200 warm-up calls).");
        Console.WriteLine(sb.ToString());
    }

    private static void ScoreThroughTransform(CharRnnTransformer model, IDataView view)
    {
        var scored = model.Transform(view);
        var column = scored.Schema[CharRnnTransformer.ScoreColumnName];
        using var cursor = scored.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (!float.IsFinite(value)) throw new InvalidOperationException($"Score of row {cursor.Position} is not finite.");
        }
    }

    private sealed class LinePrediction
    {
        public float Score { get; set; }
    }
}
