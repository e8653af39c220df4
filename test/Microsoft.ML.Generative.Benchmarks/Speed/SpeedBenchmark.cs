using System.Diagnostics;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Data;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Flows;

namespace Microsoft.ML.Generative.Benchmarks.Speed;

/// <summary>
/// Overhead of the library against hand-written TorchSharp on the same network and data, measured as ratios within
/// one run (runs alternate ours, raw, ours, raw... so that background load hits both alike):
/// (a) training rows/s of Fit vs <see cref="RawTrainingLoop"/>; (b) batch scoring rows/s of Transform + cursor vs
/// <see cref="RawScoring.Batched"/>; (c) PredictionEngine rows/s (with raw single-row Encode for scale).
/// </summary>
internal static class SpeedBenchmark
{
    private const double TrainingGoal = 0.95, ScoringGoal = 0.8;

    public static void Run(CommandArguments commandLine)
    {
        string dataset = commandLine.String("dataset", "shuttle");
        int epochs = commandLine.Int("epochs", 5), rounds = commandLine.Int("rounds", 3), predictions = commandLine.Int("predictions", 20000);
        string dataOption = commandLine.String("data");
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        string header = RunEnvironment.Header("Speed: library overhead against hand-written TorchSharp", commandLine);

        var (values, rows, d, description) = LoadData(dataset, dataOption);
        var ml = new MLContext(seed: 0);
        var view = FeatureViews.Unlabeled(ml, values, rows, d);
        var defaults = new RealNvpOptions();
        var options = new RealNvpOptions
        {
            FeatureColumnName = "Features", Seed = 0, MaxEpochs = epochs,
            ValidationFraction = 0, EarlyStoppingPatience = 0, TrainingNoise = 0,
            Normalization = FlowNormalization.ActNorm,
            // The raw loop's optimiser settings: Adam (= AdamW without decay), no clipping.
            WeightDecay = 0, GradientClipNorm = 0,
        };
        var withDefaultExtras = new RealNvpOptions
        {
            FeatureColumnName = "Features", Seed = 0, MaxEpochs = epochs,
            ValidationFraction = 0, EarlyStoppingPatience = 0, TrainingNoise = 0,
        };
        var architecture = new RealNvpArchitecture
        {
            Features = d, Couplings = options.NumberOfCouplingLayers, HiddenSize = Math.Min(256, Math.Max(64, 8 * d)),
            HiddenLayers = options.NumberOfHiddenLayers, Activation = options.Activation,
            Normalization = options.Normalization, BoundLogScale = options.BoundLogScale,
        };
        int batch = Math.Min(options.BatchSize, rows);
        long rowsPerEpoch = rows - (rows % batch is int rest && rest < 2 ? rest : 0);

        // Warm-up (JIT, libtorch kernels, allocator) of both paths on a small slice.
        Console.Error.WriteLine("warm-up...");
        int warmRows = Math.Min(rows, 4096);
        using (var warm = ml.Generative().RealNvp(new RealNvpOptions { Seed = 0, MaxEpochs = 1, ValidationFraction = 0, EarlyStoppingPatience = 0 })
            .Fit(FeatureViews.Unlabeled(ml, values, warmRows, d)))
            warm.Transform(view).GetColumn<float>("Score").Take(warmRows).Count();
        RawTrainingLoop.Train(architecture, values, warmRows, 1, batch, options.LearningRate, 0).network.Dispose();

        // (a) training
        var training = new List<(double oursSeconds, double oursEpoch, double rawSeconds, double rawEpoch, double extrasEpoch, double oursExtrasEpoch)>();
        var extras = new RawTrainingLoop.StepExtras(defaults.WeightDecay, defaults.GradientClipNorm);
        RealNvpTransformer model = null;
        RealNvpNetwork rawNetwork = null;
        for (int round = 1; round <= rounds; round++)
        {
            model?.Dispose();
            rawNetwork?.Dispose();
            var clock = Stopwatch.StartNew();
            model = ml.Generative().RealNvp(options).Fit(view);
            double oursSeconds = clock.Elapsed.TotalSeconds;
            double oursEpoch = Statistics.Median(model.TrainingSummary.History.Select(h => h.ItemsPerSecond));
            var raw = RawTrainingLoop.Train(architecture, values, rows, epochs, batch, options.LearningRate, round);
            rawNetwork = raw.network;
            double rawEpoch = Statistics.Median(raw.epochRowsPerSecond);
            var withExtras = RawTrainingLoop.Train(architecture, values, rows, epochs, batch, options.LearningRate, round, extras);
            withExtras.network.Dispose();
            double extrasEpoch = Statistics.Median(withExtras.epochRowsPerSecond);
            double oursExtrasEpoch;
            using (var defaultsModel = ml.Generative().RealNvp(withDefaultExtras).Fit(view))
                oursExtrasEpoch = Statistics.Median(defaultsModel.TrainingSummary.History.Select(h => h.ItemsPerSecond));
            training.Add((oursSeconds, oursEpoch, raw.seconds, rawEpoch, extrasEpoch, oursExtrasEpoch));
            Console.Error.WriteLine($"training round {round}: ours {oursSeconds:F2}s ({oursEpoch:N0} rows/s per epoch), raw {raw.seconds:F2}s ({rawEpoch:N0} rows/s per epoch), raw + step extras {extrasEpoch:N0} rows/s per epoch");
        }
        long rowsTrained = rowsPerEpoch * epochs;

        // (b) batch scoring
        var scoring = new List<(double ours, double raw, double source)>();
        for (int round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            ScoreThroughTransform(model, view);
            double ours = clock.Elapsed.TotalSeconds;
            clock.Restart();
            RawScoring.Batched(rawNetwork, values, rows, d, options.ScoringBatchSize);
            double raw = clock.Elapsed.TotalSeconds;
            clock.Restart();
            CursorSourceOnly(view);
            double source = clock.Elapsed.TotalSeconds;
            scoring.Add((ours, raw, source));
            Console.Error.WriteLine($"scoring round {round}: Transform+cursor {rows / ours:N0} rows/s, raw Encode {rows / raw:N0} rows/s, source cursor alone {rows / source:N0} rows/s");
        }

        // (c) single-row predictions
        int single = Math.Min(predictions, rows);
        var engine = ml.Model.CreatePredictionEngine<FeatureRow, FlowPrediction>(model, inputSchemaDefinition: FeatureViews.Schema<FeatureRow>(d));
        var singles = new List<(double engine, double raw)>();
        var prediction = new FlowPrediction();
        var inputs = Enumerable.Range(0, single).Select(r => new FeatureRow { Features = values.AsSpan(r * d, d).ToArray() }).ToArray();
        for (int i = 0; i < Math.Min(1000, single); i++) engine.Predict(inputs[i], ref prediction);
        // Consistency: single-row predictions must equal the batched Transform's scores of the same rows.
        int checkRows = Math.Min(1000, single);
        var batchedScores = model.Transform(view).GetColumn<float>(RealNvpTransformer.ScoreColumnName).Take(checkRows).ToArray();
        double largestDifference = 0;
        for (int i = 0; i < checkRows; i++)
            largestDifference = Math.Max(largestDifference, Math.Abs(engine.Predict(inputs[i]).Score - batchedScores[i]) / Math.Max(1, Math.Abs(batchedScores[i])));
        for (int round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            double checksum = 0;
            foreach (var input in inputs)
            {
                engine.Predict(input, ref prediction);
                checksum += prediction.Score;
            }
            double engineSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            RawScoring.SingleRows(rawNetwork, values, single, d);
            double rawSeconds = clock.Elapsed.TotalSeconds;
            singles.Add((engineSeconds, rawSeconds));
            Console.Error.WriteLine($"single-row round {round}: PredictionEngine {single / engineSeconds:N0} rows/s, raw Encode {single / rawSeconds:N0} rows/s");
        }
        engine.Dispose();
        model.Dispose();
        rawNetwork.Dispose();

        Console.WriteLine(Report(header, description, rows, d, architecture, epochs, batch, rowsTrained, rounds, single, training, scoring, singles, options.ScoringBatchSize, defaults, (checkRows, largestDifference)));
    }

    private static (float[] values, int rows, int d, string description) LoadData(string dataset, string dataOption)
    {
        if (dataset == "synthetic")
        {
            const int rows = 100_000, d = 16;
            return (new SyntheticRows(rows, d, seed: 0).Materialize(rows), rows, d, $"synthetic Gaussian mixture, {rows:N0} x {d}");
        }
        if (dataset != "shuttle") throw new ArgumentException("--dataset must be shuttle or synthetic.");
        var data = OddsDataSet.Load(DataDirectory.Locate(dataOption), "shuttle");
        return (data.Features, data.Rows, data.FeatureCount, $"ODDS shuttle, all {data.Rows:N0} rows x {data.FeatureCount} (labels unused)");
    }

    /// <summary>Transform + one cursor reading Score and Latent of every row.</summary>
    private static double ScoreThroughTransform(RealNvpTransformer model, IDataView view)
    {
        var scored = model.Transform(view);
        var scoreColumn = scored.Schema[RealNvpTransformer.ScoreColumnName];
        var latentColumn = scored.Schema[RealNvpTransformer.LatentColumnName];
        using var cursor = scored.GetRowCursor(new[] { scoreColumn, latentColumn });
        var score = cursor.GetGetter<float>(scoreColumn);
        var latent = cursor.GetGetter<VBuffer<float>>(latentColumn);
        float s = 0;
        VBuffer<float> z = default;
        double checksum = 0;
        while (cursor.MoveNext())
        {
            score(ref s);
            latent(ref z);
            checksum += s + z.GetValues()[0];
        }
        return checksum;
    }

    /// <summary>The source view's own cost: one cursor reading the Features column of every row.</summary>
    private static double CursorSourceOnly(IDataView view)
    {
        var column = view.Schema["Features"];
        using var cursor = view.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> x = default;
        double checksum = 0;
        while (cursor.MoveNext())
        {
            getter(ref x);
            checksum += x.GetValues()[0];
        }
        return checksum;
    }

    private static string Report(string header, string description, int rows, int d, RealNvpArchitecture architecture, int epochs, int batch, long rowsTrained,
        int rounds, int single, List<(double oursSeconds, double oursEpoch, double rawSeconds, double rawEpoch, double extrasEpoch, double oursExtrasEpoch)> training,
        List<(double ours, double raw, double source)> scoring, List<(double engine, double raw)> singles, int scoringBatch, RealNvpOptions defaults,
        (int rows, double largestDifference) consistency)
    {
        var sb = new StringBuilder(header);
        sb.AppendLine($"""
            Data: {description}. Network: {architecture.Couplings} couplings, hidden {architecture.HiddenSize} x {architecture.HiddenLayers} {architecture.Activation}, {architecture.Normalization}, bounded log-scale ({d} features). {rounds} rounds, each ours then raw; ratios are per round, then the median.

            ### Training throughput

            Ours: `Fit` with the raw loop's settings: MaxEpochs = {epochs}, ValidationFraction = 0, EarlyStoppingPatience = 0, TrainingNoise = 0, WeightDecay = 0 (AdamW without decay is Adam), GradientClipNorm = 0, batch {defaults.BatchSize}. Raw: the same `RealNvpNetwork` (public Flows classes) trained by a hand-written loop (shuffle, index_select batches of {batch}, Adam, no clipping). {rowsTrained:N0} training rows per run.
            Two measures: **whole Fit** = rows trained / wall-clock of the whole `Fit` call (reads the IDataView, standardisation statistics, network construction, ActNorm initialisation, epochs, best-weights snapshots, threshold scoring) against the raw loop's wall-clock from float[] to trained network; **epoch steps** = median over epochs of `TrainingSummary.History[i].ItemsPerSecond` (training steps only) against the raw loop's per-epoch rows/s.

            """);
        var t = new MarkdownTable("round", "ours whole Fit (s)", "raw whole loop (s)", "ratio whole", "ours epoch rows/s", "raw epoch rows/s", "ratio epoch", "ours, default extras rows/s", "raw + step extras rows/s", "ratio with extras");
        for (int i = 0; i < training.Count; i++)
        {
            var r = training[i];
            t.Add((i + 1).ToString(), r.oursSeconds.ToString("F2"), r.rawSeconds.ToString("F2"), (r.rawSeconds / r.oursSeconds).ToString("F3"),
                r.oursEpoch.ToString("N0"), r.rawEpoch.ToString("N0"), (r.oursEpoch / r.rawEpoch).ToString("F3"), r.oursExtrasEpoch.ToString("N0"), r.extrasEpoch.ToString("N0"), (r.oursExtrasEpoch / r.extrasEpoch).ToString("F3"));
        }
        double wholeRatio = Statistics.Median(training.Select(r => r.rawSeconds / r.oursSeconds));
        double epochRatio = Statistics.Median(training.Select(r => r.oursEpoch / r.rawEpoch));
        double extrasRatio = Statistics.Median(training.Select(r => r.oursExtrasEpoch / r.extrasEpoch));
        t.Add("**median**", Statistics.Median(training.Select(r => r.oursSeconds)).ToString("F2"), Statistics.Median(training.Select(r => r.rawSeconds)).ToString("F2"), $"**{wholeRatio:F3}**",
            Statistics.Median(training.Select(r => r.oursEpoch)).ToString("N0"), Statistics.Median(training.Select(r => r.rawEpoch)).ToString("N0"), $"**{epochRatio:F3}**",
            Statistics.Median(training.Select(r => r.oursExtrasEpoch)).ToString("N0"), Statistics.Median(training.Select(r => r.extrasEpoch)).ToString("N0"), $"**{extrasRatio:F3}**");
        sb.AppendLine(t.ToString());
        sb.AppendLine($"Training ratio (ours / raw rows/s, goal >= {TrainingGoal}): whole Fit **{wholeRatio:F3}** ({(wholeRatio >= TrainingGoal ? "met" : "NOT met")}), epoch steps **{epochRatio:F3}** ({(epochRatio >= TrainingGoal ? "met" : "NOT met")}).");
        sb.AppendLine($"With the library's default per-step extras (`clip_grad_norm_` at {defaults.GradientClipNorm}, AdamW weight decay {defaults.WeightDecay}) on both sides, ours (Fit with default options) / (raw loop doing the same extras) = **{extrasRatio:F3}** (epoch steps).").AppendLine();

        sb.AppendLine($"""
            ### Batch scoring throughput

            Ours: `Transform` + one cursor reading Score and Latent of all {rows:N0} rows (ScoringBatchSize {scoringBatch}); the source is `ml.Data.LoadFromEnumerable` over in-memory rows. Raw: `network.Encode` on tensors of {scoringBatch} rows built from a float[], z and log p copied back to arrays. "Source alone" is a cursor over the source's Features column, the floor any IDataView path pays.

            """);
        var s = new MarkdownTable("round", "ours rows/s", "raw rows/s", "ratio", "source alone rows/s");
        for (int i = 0; i < scoring.Count; i++)
        {
            var r = scoring[i];
            s.Add((i + 1).ToString(), (rows / r.ours).ToString("N0"), (rows / r.raw).ToString("N0"), (r.raw / r.ours).ToString("F3"), (rows / r.source).ToString("N0"));
        }
        double scoringRatio = Statistics.Median(scoring.Select(r => r.raw / r.ours));
        s.Add("**median**", Statistics.Median(scoring.Select(r => rows / r.ours)).ToString("N0"), Statistics.Median(scoring.Select(r => rows / r.raw)).ToString("N0"), $"**{scoringRatio:F3}**",
            Statistics.Median(scoring.Select(r => rows / r.source)).ToString("N0"));
        sb.AppendLine(s.ToString());
        sb.AppendLine($"Scoring ratio (ours / raw rows/s, goal >= {ScoringGoal}): **{scoringRatio:F3}** ({(scoringRatio >= ScoringGoal ? "met" : "NOT met")}).").AppendLine();

        sb.AppendLine($"""
            ### Single-row predictions

            `ml.Model.CreatePredictionEngine<FeatureRow, FlowPrediction>(model)`, `Predict(row, ref prediction)` on the first {single:N0} rows (after 1,000 warm-up calls); raw = `network.Encode` on a [1, {d}] tensor per row.

            """);
        var p = new MarkdownTable("round", "PredictionEngine rows/s", "raw single-row Encode rows/s", "ratio");
        for (int i = 0; i < singles.Count; i++)
        {
            var r = singles[i];
            p.Add((i + 1).ToString(), (single / r.engine).ToString("N0"), (single / r.raw).ToString("N0"), (r.raw / r.engine).ToString("F3"));
        }
        p.Add("**median**", Statistics.Median(singles.Select(r => single / r.engine)).ToString("N0"), Statistics.Median(singles.Select(r => single / r.raw)).ToString("N0"),
            $"**{Statistics.Median(singles.Select(r => r.raw / r.engine)):F3}**");
        sb.AppendLine(p.ToString());
        sb.AppendLine($"Consistency: PredictionEngine Score vs Transform Score on the first {consistency.rows:N0} rows, largest relative difference {consistency.largestDifference:E1} (float32 kernels sum in a different order for a batch of 1).").AppendLine();
        sb.AppendLine($"Load average at the end: {RunEnvironment.LoadAverage()}.");
        return sb.ToString();
    }
}
