using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Generative.Benchmarks.Infrastructure;

namespace Microsoft.ML.Generative.Benchmarks.Text;

/// <summary>
/// Character language modelling on tiny-shakespeare: add-k n-gram baselines and a plain hand-written TorchSharp
/// char-LSTM trained for a time budget, all measured by the same <see cref="CharLmValidation"/> protocol.
/// The library's CharRnn is to be added as one more <see cref="ICharWindowScorer"/> (see README.md).
/// </summary>
internal static class TextLmBenchmark
{
    /// <summary>Validation nats/char of this loop on this machine, given with the task (training minutes, value); orientation only.</summary>
    private static readonly (double minutes, double nats)[] LstmReference = { (6, 1.558), (11, 1.475), (30, 1.432) };

    public static void Run(CommandArguments commandLine)
    {
        string dataDirectory = DataDirectory.Locate(commandLine.String("data"));
        var methods = commandLine.List("methods", "ngram", "lstm");
        int[] orders = commandLine.Ints("ngram-orders", 1, 2, 3, 5);
        double k = commandLine.Double("k", TextAnomalyBenchmark.DefaultK);
        double minutes = commandLine.Double("minutes", 30);
        double[] checkpoints = commandLine.Doubles("checkpoints", 5, 10, 30);
        int seed = commandLine.Int("seed", 0);
        int sampleLength = commandLine.Int("sample-length", 300);
        double temperature = commandLine.Double("temperature", 0.8);
        var lstmOverrides = OptionOverrides.Parse<PlainCharLstmOptions>(commandLine.String("lstm"));
        var charRnnOverrides = OptionOverrides.Parse<CharRnnOptions>(commandLine.String("charrnn"));
        RunEnvironment.ApplyThreads(commandLine);
        commandLine.ThrowOnUnknownOptions();

        if (methods.Except(new[] { "ngram", "lstm", "charrnn" }).FirstOrDefault() is string unknown)
            throw new ArgumentException($"Unknown method '{unknown}'; use ngram, lstm, charrnn.");
        if (!(minutes > 0)) throw new ArgumentException("--minutes must be positive.");
        if (checkpoints.Any(m => !(m > 0) || m > minutes))
            throw new ArgumentException($"--checkpoints must lie in (0, --minutes = {minutes.ToString(CultureInfo.InvariantCulture)}].");
        // The end of the budget is always evaluated, so the last number is the budget's result.
        checkpoints = checkpoints.Append(minutes).Distinct().OrderBy(m => m).ToArray();
        if (!(temperature > 0)) throw new ArgumentException("--temperature must be positive.");

        var data = TinyShakespeare.Load(dataDirectory);
        var validation = new CharLmValidation(data.Validation);
        var options = new PlainCharLstmOptions();
        OptionOverrides.Apply(options, lstmOverrides);
        string header = RunEnvironment.Header("tiny-shakespeare character language modelling (validation nats/char)", commandLine);
        var wall = Stopwatch.StartNew();

        var sb = new StringBuilder(header);
        sb.AppendLine($"""
            Data: `{TinyShakespeare.RelativePath}`, first {100 * TinyShakespeare.TrainFraction:F0}% of the characters for training ({data.Train.Length:N0}), the rest for validation ({data.Validation.Length:N0}).

            Protocol (`CharLmValidation`): {validation.Describe()}. Lower is better; bits/char = nats/char / ln 2. Orientation from the data folder's README: uniform 4.17, unigram 3.35, bigram 2.48, 5-gram about 1.77.

            """);

        if (methods.Contains("ngram"))
        {
            var table = new MarkdownTable("model", "V", "nats/char", "bits/char", "train + score seconds");
            foreach (int n in orders)
            {
                var clock = Stopwatch.StartNew();
                var model = CharNGramModel.TrainOnText(data.Train, n, k);
                var score = validation.Evaluate(model);
                clock.Stop();
                Console.Error.WriteLine($"{model.Name}: {score.NatsPerChar:F4} nats/char ({clock.Elapsed.TotalSeconds:F1}s)");
                table.Add($"char {model.Name}", model.VocabularySize.ToString(), score.NatsPerChar.ToString("F3"), score.BitsPerChar.ToString("F3"), clock.Elapsed.TotalSeconds.ToString("F1"));
            }
            sb.AppendLine($"N-gram baselines (add-k, no back-off, k = {k.ToString("0.###", CultureInfo.InvariantCulture)}; V = training characters + 1 shared symbol for unseen ones; each window scored from its own characters only, begin-padded, so the 64-character context covers every n-gram context):").AppendLine();
            sb.AppendLine(table.ToString());
        }

        if (methods.Contains("lstm"))
        {
            Console.Error.WriteLine($"char-LSTM: {minutes.ToString(CultureInfo.InvariantCulture)} min of training, checkpoints at {string.Join(", ", checkpoints.Select(m => m.ToString(CultureInfo.InvariantCulture)))} min");
            var outcome = PlainCharLstmTraining.Run(data.Train, validation, options, minutes, checkpoints, seed, cp =>
                Console.Error.WriteLine($"  {cp.TrainingMinutes:F2} min, step {cp.Steps}: validation {cp.Validation.NatsPerChar:F4} nats/char, train loss {cp.TrainLoss:F4}, lr {cp.LearningRate:E2}, {cp.CharsPerSecond:N0} chars/s, evaluation {cp.Validation.Seconds:F1}s"));
            Console.Error.WriteLine("  sampling...");
            string sample = outcome.Scorer.Sample("\n", sampleLength, temperature, seed);
            AppendLstm(sb, options, lstmOverrides, outcome, minutes, seed, sample, temperature);
        }

        if (methods.Contains("charrnn"))
            AppendCharRnn(sb, data, validation, checkpoints, seed, charRnnOverrides, sampleLength, temperature);

        sb.AppendLine($"Whole run: {wall.Elapsed.TotalMinutes:F1} min.");
        Console.WriteLine(sb.ToString());
    }

    /// <summary>
    /// The library's CharRnn: one Fit per checkpoint, each with that many minutes as its MaxTrainingTime (so each has
    /// a fully decayed cosine schedule: the result of a fixed budget, not a mid-run snapshot).
    /// </summary>
    private static void AppendCharRnn(StringBuilder sb, TinyShakespeare data, CharLmValidation validation, double[] budgets, int seed,
        IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides, int sampleLength, double temperature)
    {
        var table = new MarkdownTable("budget (min)", "epochs", "best epoch", "stop", "chars/s (training)", "Fit validation nats/char", "protocol nats/char", "bits/char", "fit minutes");
        string sample = null;
        CharRnnOptions described = null;
        foreach (double budget in budgets)
        {
            var ml = new MLContext(seed);
            TrainingLog.Attach(ml);
            var options = CharRnnLanguageModelRun.Options(budget, seed);
            OptionOverrides.Apply(options, overrides);
            described = options;
            Console.Error.WriteLine($"char-RNN (ours): {budget.ToString(CultureInfo.InvariantCulture)} min budget");
            var clock = Stopwatch.StartNew();
            using var model = CharRnnLanguageModelRun.Train(data, options, ml);
            clock.Stop();
            var score = validation.Evaluate(CharRnnLanguageModelRun.Scorer(model, "char-RNN (ours)"));
            var summary = model.TrainingSummary;
            double trained = summary.History.Sum(h => h.ItemsPerSecond * h.Seconds), seconds = summary.History.Sum(h => h.Seconds);
            Console.Error.WriteLine($"  {budget} min: protocol {score.NatsPerChar:F4} nats/char");
            table.Add(budget.ToString("0.##", CultureInfo.InvariantCulture), summary.History.Count.ToString(), summary.BestEpoch.ToString(), summary.StopReason.ToString(),
                (trained / Math.Max(seconds, 1e-9)).ToString("N0"), summary.BestLoss?.ToString("F3") ?? "-", score.NatsPerChar.ToString("F3"), score.BitsPerChar.ToString("F3"),
                clock.Elapsed.TotalMinutes.ToString("F2"));
            sample = model.Generate("\n", sampleLength, (float)temperature, seed);
        }
        sb.AppendLine($"""
            Char-RNN (ours, `ml.Generative().CharRnn(...)`, Stream mode): {described.CellType} {described.NumberOfLayers} x {described.HiddenSize}, embedding {described.EmbeddingSize}, dropout {described.Dropout}, {described.BatchSize} parallel segments x {described.SequenceLength} characters, AdamW {described.LearningRate.ToString(CultureInfo.InvariantCulture)} (weight decay {described.WeightDecay.ToString(CultureInfo.InvariantCulture)}), cosine decay over the budget, clipping {described.GradientClipNorm.ToString(CultureInfo.InvariantCulture)}; the validation text's lines are Fit's held-out rows (used to keep the best epoch, never trained on). One Fit per budget; the budget (MaxTrainingTime) includes Fit's own validation passes.{(overrides.Count > 0 ? $" Changed: {OptionOverrides.Describe(overrides)}." : "")}

            """);
        sb.AppendLine(table.ToString());
        sb.AppendLine($"Sample after the last budget ({sampleLength} characters after a newline, temperature {temperature.ToString(CultureInfo.InvariantCulture)}, seed {seed}):").AppendLine();
        sb.AppendLine("```").AppendLine(sample?.TrimEnd('\n')).AppendLine("```").AppendLine();
    }

    private static void AppendLstm(StringBuilder sb, PlainCharLstmOptions o, IReadOnlyList<(System.Reflection.PropertyInfo, object)> overrides,
        PlainCharLstmTraining.Outcome outcome, double minutes, int seed, string sample, double temperature)
    {
        sb.AppendLine($"""
            Plain char-LSTM (hand-written TorchSharp loop, `PlainCharLstmTraining`): embedding {o.EmbeddingSize}, {o.Layers}-layer LSTM hidden {o.HiddenSize}, dropout {o.Dropout} (between LSTM layers and before the head), linear head; {outcome.Parameters:N0} parameters. Truncated BPTT over {o.BatchSize} contiguous streams x {o.SequenceLength} characters per step with the (h, c) state carried (detached) from step to step and reset at each epoch ({outcome.StepsPerEpoch} steps; random start offset per epoch); AdamW lr {o.LearningRate} (weight decay {o.WeightDecay}) with cosine decay to 0 over the {minutes.ToString(CultureInfo.InvariantCulture)}-minute training-time budget, no warm-up; gradient clipping at global norm {o.GradientClipNorm}; seed {seed}.{(overrides.Count > 0 ? $" **Changed from the reference configuration: {OptionOverrides.Describe(overrides)}.**" : "")}
            Checkpoints are taken after the first step reaching the requested training time (evaluation time excluded from the clock and from the learning-rate schedule).

            """);
        var table = new MarkdownTable("checkpoint (min)", "training min", "steps", "chars trained", "epochs", "train loss", "validation nats/char", "bits/char", "chars/s (training)", "evaluation s");
        foreach (var cp in outcome.Checkpoints)
            table.Add(cp.TargetMinutes.ToString("0.##", CultureInfo.InvariantCulture), cp.TrainingMinutes.ToString("F2"), cp.Steps.ToString("N0"), cp.TrainedChars.ToString("N0"),
                (cp.TrainedChars / (double)(outcome.StepsPerEpoch * (long)o.BatchSize * o.SequenceLength)).ToString("F2"), cp.TrainLoss.ToString("F3"),
                cp.Validation.NatsPerChar.ToString("F3"), cp.Validation.BitsPerChar.ToString("F3"), cp.CharsPerSecond.ToString("N0"), cp.Validation.Seconds.ToString("F1"));
        sb.AppendLine(table.ToString());
        sb.AppendLine($"Throughput: {outcome.TrainedChars / outcome.TrainingSeconds:N0} training chars/s over {outcome.TrainingSeconds / 60:F2} min ({outcome.Steps:N0} steps); evaluation took {outcome.EvaluationSeconds:F1} s in all. Train loss: mean over the steps since the previous checkpoint, with dropout.");
        sb.AppendLine($"Reference for this loop on this machine (given with the task, orientation only): {string.Join(", ", LstmReference.Select(r => $"{r.nats:F3} at {r.minutes:0} min"))}.").AppendLine();
        sb.AppendLine($"Sample after training ({sample.Length} characters after a newline prompt, temperature {temperature.ToString(CultureInfo.InvariantCulture)}, seed {seed}):").AppendLine();
        sb.AppendLine("```").AppendLine(sample.TrimEnd('\n')).AppendLine("```").AppendLine();
    }
}
