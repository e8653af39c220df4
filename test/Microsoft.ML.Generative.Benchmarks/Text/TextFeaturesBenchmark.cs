using System.Diagnostics;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Anomaly;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// The ML.NET featurization protocol on Wikipedia Detox: one fixed linear classifier (L-BFGS logistic regression,
/// single-threaded, so deterministic) trained on different feature sets of the same texts: ML.NET's FeaturizeText
/// (the baseline), and for every embedding source the embedding alone and concatenated with FeaturizeText. Metrics:
/// accuracy and ROC-AUC on the test file, and k-fold cross-validation on the training file (the test file has only
/// 18 rows, 11 of them verbatim copies of training rows, so its numbers move in big steps and reward memorising).
/// </summary>
/// <remarks>
/// Regularisation: L1 = 0, L2 = 0.1 by default, chosen by 5-fold cross-validation on the training file (never the
/// test file) among L2 in {0.01, 0.1, 1} with L1 = 0 and L1 = L2 = 0.1. ML.NET's defaults (L1 = L2 = 1) zero almost
/// every weight on these 250 rows: the classifier then predicts nearly everything toxic and the comparison of feature
/// sets says little. <c>--l1</c> and <c>--l2</c> change it.
/// </remarks>
internal static class TextFeaturesBenchmark
{
    /// <summary>A feature set: FeaturizeText, an embedding, or both concatenated.</summary>
    private sealed record FeatureSet(string Name, bool UsesFeaturizeText, ITextEmbeddingSource Embedding);

    public const float DefaultL1 = 0f, DefaultL2 = 0.1f;

    private sealed record Result(FeatureSet Features, int Dimension, double TrainAccuracy, double TestAccuracy, double TestAuc, double OwnTestAuc,
        double[] FoldAccuracy, double[] FoldAuc, double Seconds);

    /// <summary>Rows handed to ML.NET; Embedding's length is set per source through a schema definition.</summary>
    private sealed class TextRow
    {
        public bool Label { get; set; }
        public string SentimentText { get; set; }
    }

    private sealed class EmbeddedTextRow
    {
        public bool Label { get; set; }
        public string SentimentText { get; set; }
        public float[] Embedding { get; set; }
    }

    /// <summary>
    /// The embedding sources --embeddings can name. To compare the library's model, add e.g.
    /// <c>new DelegateTextEmbeddingSource("charrnn", "CharRnn mean hidden state", (texts, seed) =&gt; { var m = ...; return text =&gt; m.Embed(text); })</c>.
    /// </summary>
    public static IReadOnlyList<ITextEmbeddingSource> EmbeddingSources { get; } = new[] { SurfaceStatistics.Source, CharRnnEmbeddingSource.Source };

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        var embeddingKeys = commandLine.List("embeddings");
        int folds = commandLine.Int("folds", 5), seed = commandLine.Int("seed", 0);
        float l1 = (float)commandLine.Double("l1", DefaultL1), l2 = (float)commandLine.Double("l2", DefaultL2);
        RunEnvironment.ApplyThreads(commandLine); // accepted like everywhere; only TorchSharp (not used here) reads it
        commandLine.ThrowOnUnknownOptions();
        if (l1 < 0 || l2 < 0) throw new ArgumentException("--l1 and --l2 must not be negative.");
        if (folds < 2) throw new ArgumentException("--folds must be at least 2.");
        var sources = embeddingKeys.Select(k => EmbeddingSources.FirstOrDefault(s => s.Key == k)
            ?? throw new ArgumentException($"Unknown embedding source '{k}'; use {string.Join(", ", EmbeddingSources.Select(s => s.Key))}.")).ToArray();

        var ml = new MLContext(seed: seed);
        var train = DetoxData.Load(ml, dataDirectory, DetoxData.TrainRelativePath);
        var test = DetoxData.Load(ml, dataDirectory, DetoxData.TestRelativePath);
        string header = RunEnvironment.Header("Wikipedia Detox text featurization (linear classifier accuracy / AUC)", commandLine);

        var featureSets = new List<FeatureSet> { new("FeaturizeText", true, null) };
        foreach (var s in sources)
        {
            featureSets.Add(new FeatureSet(s.Name, false, s));
            featureSets.Add(new FeatureSet($"FeaturizeText + {s.Name}", true, s));
        }

        var wall = Stopwatch.StartNew();
        var embeddings = new Dictionary<ITextEmbeddingSource, (float[][] train, float[][] test)>();
        foreach (var s in sources)
        {
            var embed = s.Fit(train.Texts, seed);
            embeddings[s] = (Embed(s, embed, train.Texts), Embed(s, embed, test.Texts));
            if (embeddings[s].train[0].Length != embeddings[s].test[0].Length) throw new InvalidOperationException($"{s.Name}: train and test vectors differ in length.");
        }
        var results = new List<Result>();
        foreach (var set in featureSets)
        {
            var clock = Stopwatch.StartNew();
            var trainView = View(ml, train, set.Embedding is null ? null : embeddings[set.Embedding].train);
            var testView = View(ml, test, set.Embedding is null ? null : embeddings[set.Embedding].test);
            var pipeline = Pipeline(ml, set, l1, l2);
            var model = pipeline.Fit(trainView);
            var scored = model.Transform(testView);
            var metrics = ml.BinaryClassification.Evaluate(scored, "Label");
            // Accuracy on the training rows themselves: shows whether the classifier fits at all (regularisation).
            double trainAccuracy = ml.BinaryClassification.Evaluate(model.Transform(trainView), "Label").Accuracy;
            var scores = scored.GetColumn<float>("Score").ToArray();
            double ownAuc = RocAuc.Compute(scores, scored.GetColumn<bool>("Label").ToArray());
            int dimension = ((VectorDataViewType)scored.Schema["Features"].Type).Size;
            var cv = ml.BinaryClassification.CrossValidate(trainView, pipeline, numberOfFolds: folds, labelColumnName: "Label", seed: seed);
            clock.Stop();
            var result = new Result(set, dimension, trainAccuracy, metrics.Accuracy, metrics.AreaUnderRocCurve, ownAuc,
                cv.Select(f => f.Metrics.Accuracy).ToArray(), cv.Select(f => f.Metrics.AreaUnderRocCurve).ToArray(), clock.Elapsed.TotalSeconds);
            results.Add(result);
            Console.Error.WriteLine($"{set.Name}: test accuracy {result.TestAccuracy:F3} AUC {result.TestAuc:F3}; {folds}-fold CV accuracy {result.FoldAccuracy.Average():F3} AUC {result.FoldAuc.Average():F3} ({result.Seconds:F1}s)");
        }
        wall.Stop();
        Console.WriteLine(Report(header, train, test, sources, results, folds, seed, l1, l2, wall.Elapsed));
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, FeatureSet set, float l1, float l2)
    {
        var chain = new EstimatorChain<ITransformer>();
        var columns = new List<string>();
        if (set.UsesFeaturizeText)
        {
            chain = chain.Append<ITransformer>(ml.Transforms.Text.FeaturizeText("TextFeatures", "SentimentText"));
            columns.Add("TextFeatures");
        }
        if (set.Embedding is not null)
        {
            // Embeddings come in any scale; FeaturizeText's output is L2-normalised. Standardise on the training rows.
            chain = chain.Append<ITransformer>(ml.Transforms.NormalizeMeanVariance("EmbeddingFeatures", "Embedding"));
            columns.Add("EmbeddingFeatures");
        }
        return chain.Append(ml.Transforms.Concatenate("Features", columns.ToArray()))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                L1Regularization = l1,
                L2Regularization = l2,
                NumberOfThreads = 1, // one thread: the summation order, and so the model, is reproducible
            }));
    }

    private static IDataView View(MLContext ml, DetoxData data, float[][] embedding)
    {
        if (embedding is null)
            return ml.Data.LoadFromEnumerable(data.Texts.Select((t, i) => new TextRow { Label = data.IsToxic[i], SentimentText = t }).ToList());
        var schema = SchemaDefinition.Create(typeof(EmbeddedTextRow));
        schema[nameof(EmbeddedTextRow.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, embedding[0].Length);
        return ml.Data.LoadFromEnumerable(data.Texts.Select((t, i) => new EmbeddedTextRow { Label = data.IsToxic[i], SentimentText = t, Embedding = embedding[i] }).ToList(), schema);
    }

    private static float[][] Embed(ITextEmbeddingSource source, Func<string, float[]> embed, string[] texts)
    {
        var vectors = texts.Select(embed).ToArray();
        int d = vectors[0]?.Length ?? 0;
        if (d == 0) throw new InvalidOperationException($"{source.Name} returned an empty vector.");
        for (int i = 0; i < vectors.Length; i++)
        {
            if (vectors[i] is null || vectors[i].Length != d) throw new InvalidOperationException($"{source.Name}: text {i} got a vector of length {vectors[i]?.Length ?? 0}, the first got {d}.");
            if (vectors[i].Any(v => !float.IsFinite(v))) throw new InvalidOperationException($"{source.Name}: text {i} got a non-finite value.");
        }
        return vectors;
    }

    private static string Report(string header, DetoxData train, DetoxData test, ITextEmbeddingSource[] sources, List<Result> results, int folds, int seed, float l1, float l2, TimeSpan wall)
    {
        var trainTexts = new HashSet<string>(train.Texts.Select(t => t.Trim()), StringComparer.Ordinal);
        int duplicated = test.Texts.Count(t => trainTexts.Contains(t.Trim()));
        var sb = new StringBuilder(header);
        sb.AppendLine($"""
            Data: `{DetoxData.TrainRelativePath}` ({train.Rows} rows, {train.Toxic} toxic) for training and `{DetoxData.TestRelativePath}` ({test.Rows} rows, {test.Toxic} toxic) for testing; label = the Sentiment column (1 = toxic, the positive class), text = SentimentText. {duplicated} of the {test.Rows} test texts also occur verbatim (after trimming) in the training file.

            Protocol: the same classifier on every feature set: `ml.BinaryClassification.Trainers.LbfgsLogisticRegression`, L1 = {l1:0.###}, L2 = {l2:0.###}{(l1 == DefaultL1 && l2 == DefaultL2 ? " (the default, chosen by 5-fold CV on the training file; ML.NET's own default L1 = L2 = 1 leaves the classifier predicting almost everything toxic here)" : "")}, other settings ML.NET's defaults, one thread, `MLContext(seed: {seed})`. FeaturizeText = `ml.Transforms.Text.FeaturizeText("TextFeatures", "SentimentText")` with its defaults (word 1-2-grams + character 3-grams, L2-normalised). An embedding source fills a float-vector column "Embedding" (fitted on the training texts without labels), standardised by `NormalizeMeanVariance`, and is used alone and concatenated with FeaturizeText. Test metrics from `ml.BinaryClassification.Evaluate` on the test file; CV = `ml.BinaryClassification.CrossValidate` with {folds} folds on the training file (seed {seed}); cells mean ± std over folds. With {test.Rows} test rows one row is {100.0 / test.Rows:F1} points of accuracy: the CV columns are the steadier comparison.

            """);
        var table = new MarkdownTable("features", "dimension", "train accuracy", "test accuracy", "test AUC", $"CV accuracy ({folds} folds)", $"CV AUC ({folds} folds)", "seconds");
        foreach (var r in results)
            table.Add(r.Features.Name, r.Dimension.ToString("N0"), r.TrainAccuracy.ToString("F3"), r.TestAccuracy.ToString("F3"), r.TestAuc.ToString("F3"),
                $"{Statistics.Mean(r.FoldAccuracy):F3} ± {Statistics.StdDev(r.FoldAccuracy):F3}", $"{Statistics.Mean(r.FoldAuc):F3} ± {Statistics.StdDev(r.FoldAuc):F3}", r.Seconds.ToString("F1"));
        sb.AppendLine(table.ToString());
        sb.AppendLine($"AUC check: ML.NET's evaluator vs the Mann-Whitney AUC of the Score column (`RocAuc`), largest difference over the {results.Count} test evaluations: {results.Max(r => Math.Abs(r.TestAuc - r.OwnTestAuc)):E1}.");
        if (sources.Length == 0)
            sb.AppendLine().AppendLine("No embedding source was given (`--embeddings`); the library's model plugs in as one (see README.md).");
        sb.AppendLine().AppendLine($"Whole run: {wall.TotalSeconds:F1} s.");
        return sb.ToString();
    }
}
