using Microsoft.ML.Data;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Generative.Benchmarks.Images;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;
using Microsoft.ML.Generative.Benchmarks.Text;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// Fashion-MNIST, the seed's comparison table in miniature: for every budget a fresh <c>Fit</c> of each model in
/// <c>--models</c> (the image Real NVP with its documented recipe, the gated PixelCNN, the Row LSTM, and their
/// class-conditional variants), one after another in this process, the order rotating from budget to budget. All hold
/// out the same training images (the flow's split rule, checked by <c>image-fashion</c>) and are reported on the same
/// first test images: the Pixel RNNs' exact discrete bits/dim, the flow's dequantized bits/dim (the papers' convention;
/// the discrete likelihood is at least the dequantized bound). Per Pixel RNN also: -ln p(bottom half | top half) against
/// independent pixels, MNIST scored by the Fashion model (OOD ROC-AUC of Score, ComplexityScore, TypicalityScore, as for
/// the flow), and optional PNGs (samples, completions, samples per class) and model zips.
/// </summary>
internal static class PixelFashionBenchmark
{
    private const int Levels = 256, Side = FashionMnist.Side, KnownRows = Side / 2;

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        double[] budgets = commandLine.Doubles("budgets", 10);
        var models = ImageModelChoice.ParseList(commandLine.List("models", "realnvp", "gated", "rowlstm"));
        int trainCount = commandLine.Int("train-images", 0), testCount = commandLine.Int("test-images", 2000);
        float validationFraction = (float)commandLine.Double("validation-fraction", 0.02);
        int seed = commandLine.Int("seed", 0);
        var flowOverrides = OptionOverrides.Parse<RealNvpImageOptions>(commandLine.String("image"));
        var gatedOverrides = OptionOverrides.Parse<PixelRnnOptions>(commandLine.String("gated"));
        var rowLstmOverrides = OptionOverrides.Parse<PixelRnnOptions>(commandLine.String("rowlstm"));
        double[] completionBudgets = commandLine.Doubles("completion-budgets", budgets);
        string samplesDirectory = commandLine.String("samples-out");
        string modelDirectory = commandLine.String("model-out");
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();
        if (budgets.Any(b => !(b > 0))) throw new ArgumentException("--budgets must be positive numbers of minutes.");
        if (flowOverrides.Concat(gatedOverrides).Concat(rowLstmOverrides).Any(o => o.property.Name is "ValidationFraction" or "Seed" or "MaxTrainingTime"))
            throw new ArgumentException("--image, --gated and --rowlstm cannot change ValidationFraction, Seed or MaxTrainingTime: use --validation-fraction, --seed and --budgets, which every model shares.");

        var data = FashionMnist.Load(dataDirectory, trainCount, testCount, validationFraction, seed);
        string header = RunEnvironment.Header("Pixel RNN: Fashion-MNIST, the image Real NVP and the Pixel RNNs side by side (test bits/dim)", commandLine);
        var ml = new MLContext(seed: seed);
        TrainingLog.Attach(ml);
        var independent = PerPixelCategorical.Fit(data.Pool, Levels);
        double independentBits = independent.MeanBitsPerPixel(data.Test);
        double independentBottom = data.Test.Average(x => independent.NatsFrom(x, KnownRows * Side));
        var testView = ImageRows.Load(ml, data.Test, data.TestLabels);
        var mnistView = ImageRows.Load(ml, data.Mnist);

        double total = budgets.Sum() * models.Count;
        Console.Error.WriteLine($"{models.Count} model(s) x budgets {ComparisonPlan.Minutes(budgets)} min: at least {total:F0} min.");
        var table = new MarkdownTable("budget (min)", "model", "position", "started", "epochs", "best epoch", "images/s (training)", "validation bits/dim",
            "**test bits/dim**", "MNIST bits/dim", "AUC Score", "AUC ComplexityScore", "AUC TypicalityScore", "-ln p(bottom | top), nats/image", "64 samples (s)", "run min");
        var results = new Dictionary<(double, string), double>();
        var descriptions = new SortedDictionary<string, string>();
        for (int b = 0; b < budgets.Length; b++)
        {
            double minutes = budgets[b];
            string budget = minutes.ToString("0.##", CultureInfo.InvariantCulture);
            // Rotate the order from budget to budget, so a slow drift of the machine does not always hit the same model.
            var order = models.Skip(b % models.Count).Concat(models.Take(b % models.Count)).ToList();
            for (int position = 0; position < order.Count; position++)
            {
                var model = order[position];
                ComparisonPlan.Settle();
                string started = DateTime.Now.ToString("HH:mm", CultureInfo.InvariantCulture);
                Console.Error.WriteLine($"[{started}] {model.Display}, {budget} min ({position + 1} of {order.Count})");
                var clock = Stopwatch.StartNew();
                string name = $"fashion-{model.Name}-{budget}min";
                TrainingSummary summary;
                double testBits, mnistBits = double.NaN, bottom = double.NaN, samplingSeconds = double.NaN;
                OodAucs aucs = null;
                if (!model.IsPixelRnn)
                {
                    var options = FashionRealNvpRecipe.Options(minutes, seed, validationFraction);
                    OptionOverrides.Apply(options, flowOverrides);
                    descriptions[model.Display] = OptionOverrides.DescribeAll(options);
                    using var flow = ml.Generative().RealNvpImage(options).Fit(ImageRows.Load(ml, data.Pool));
                    clock.Stop();
                    summary = flow.TrainingSummary;
                    testBits = flow.EvaluateBitsPerDimension(testView, seed: 1);
                    mnistBits = flow.EvaluateBitsPerDimension(mnistView, seed: 1);
                    aucs = OodAucs.Measure(flow, testView, mnistView);
                    if (samplesDirectory is not null) SampleGrids.Save(flow, samplesDirectory, name);
                    if (modelDirectory is not null) Save(ml, flow, testView, modelDirectory, name);
                }
                else
                {
                    var overrides = model.Architecture == PixelRnnArchitecture.RowLstm ? rowLstmOverrides : gatedOverrides;
                    var options = PixelRnnRecipe.Options(model, Side, Side, Levels, minutes, seed, validationFraction, overrides);
                    descriptions[model.Display] = OptionOverrides.DescribeAll(options);
                    var labels = model.Conditional ? data.TestLabels : null;
                    using var pixels = ml.Generative().PixelRnn(options).Fit(ImageRows.Load(ml, data.Pool, model.Conditional ? data.PoolLabels : null));
                    clock.Stop();
                    summary = pixels.TrainingSummary;
                    testBits = -pixels.Transform(testView).GetColumn<float>(PixelRnnTransformer.LogLikelihoodColumnName).Average(v => (double)v)
                        / (Side * Side * Math.Log(2));
                    bottom = ConditionalLikelihood.MeanBottomGivenTopNats(pixels, data.Test, labels, KnownRows);
                    if (!model.Conditional)
                    {
                        // MNIST has no Fashion class: the OOD check is for unconditional models.
                        mnistBits = -pixels.Transform(mnistView).GetColumn<float>(PixelRnnTransformer.LogLikelihoodColumnName).Average(v => (double)v)
                            / (Side * Side * Math.Log(2));
                        aucs = OodAucs.Measure(pixels, testView, mnistView);
                    }
                    if (samplesDirectory is not null)
                    {
                        // A class-conditional model draws per class (8 of each), an unconditional one 64 images.
                        if (model.Conditional) PixelImageFiles.SaveClassSamples(ml, pixels, samplesDirectory, name);
                        else samplingSeconds = PixelImageFiles.SaveSamples(ml, pixels, samplesDirectory, name);
                        if (completionBudgets.Contains(minutes)) PixelImageFiles.SaveCompletions(ml, pixels, data.Test, labels, samplesDirectory, name);
                    }
                    if (modelDirectory is not null) Save(ml, pixels, testView, modelDirectory, name);
                }
                results[(minutes, model.Name)] = testBits;
                double throughput = summary.History.Where(e => e.ItemsPerSecond > 0).Select(e => e.ItemsPerSecond).DefaultIfEmpty(0).Average();
                var row = new[]
                {
                    budget, model.Display, $"{position + 1}", started, $"{summary.History.Count}", $"{summary.BestEpoch}", F(throughput, "F0"),
                    summary.BestLoss is double best ? F(best) : "-", $"**{F(testBits)}**", F(mnistBits), F(aucs?.Score), F(aucs?.Complexity),
                    F(aucs?.Typicality), F(bottom, "F1"), F(samplingSeconds, "F1"), F(clock.Elapsed.TotalMinutes, "F2"),
                };
                table.Add(row);
                // At once, so that a long run cut short still leaves its finished rows.
                Console.Error.WriteLine($"| {string.Join(" | ", row)} |");
            }
        }

        var summaryTable = new MarkdownTable(new[] { "budget (min)" }.Concat(models.Select(m => $"{m.Display}, test bits/dim")).Append("independent pixels").ToArray());
        foreach (double minutes in budgets)
            summaryTable.Add(new[] { minutes.ToString("0.##", CultureInfo.InvariantCulture) }
                .Concat(models.Select(m => results.TryGetValue((minutes, m.Name), out double v) ? F(v) : "-")).Append(F(independentBits)).ToArray());

        var sb = new System.Text.StringBuilder(header);
        sb.AppendLine($"Data: {data.Describe()}; Fashion-MNIST's class labels for the class-conditional models.").AppendLine();
        sb.AppendLine($"Each budget: a fresh `Fit` of each model, one after another in this process (same threads, same allocator settings), the order rotating by one model per budget; each trains for its budget (cosine over it), no epoch limit, no early stopping, seed {seed}, the best epoch chosen on the held-out training images.").AppendLine();
        sb.AppendLine(summaryTable.ToString());
        sb.AppendLine(table.ToString());
        sb.AppendLine($"""
            - *test bits/dim*: Pixel RNNs: exact, -log2 p(x) of the discrete image / 784 (mean of `LogLikelihood`); class-conditional: p(x | its class). Image Real NVP: uniform dequantization (`EvaluateBitsPerDimension`, seed 1), an upper bound on its discrete bits/dim. Independent pixels: a categorical per pixel position fitted by counting on all training images (add-one).
            - *-ln p(bottom | top)*: the bottom {Side - KnownRows} rows given the top {KnownRows}, summed over their {(Side - KnownRows) * Side} pixels, mean over the test images. Independent pixels: {independentBottom.ToString("F1", CultureInfo.InvariantCulture)} nats/image (the top tells them nothing).
            - *AUC*: MNIST's first {data.Mnist.Count} test images as positives against the Fashion test images, higher score = flagged; below 0.5 means MNIST looks more typical than Fashion-MNIST itself.
            - *64 samples (s)*: wall time of `Sample(64, temperature: 1, seed: 1)` (only with --samples-out; a class-conditional model draws 8 per class instead, not timed).
            """);
        foreach (var (display, description) in descriptions) sb.AppendLine($"- {display}: `{description}`.");
        Console.WriteLine(sb.ToString());
    }

    private static void Save(MLContext ml, ITransformer model, IDataView view, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        ml.Model.Save(model, view.Schema, Path.Combine(directory, name + ".zip"));
    }

    private static string F(double? value, string format = "F3")
        => value is double v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
