using Microsoft.ML.Generative.Tests.Infrastructure;
using Microsoft.ML.Generative.Training;
using Xunit;
using static Microsoft.ML.Generative.Tests.Infrastructure.TextRows;

namespace Microsoft.ML.Generative.Tests.CharRnn;

/// <summary>What training must achieve and how it behaves: periodic text, every cell, both modes, conditions, control.</summary>
public class CharRnnLearningTests
{
    private static CharRnnOptions Tiny(int epochs, CharRnnCellType cell = CharRnnCellType.Lstm) => new CharRnnOptions
    {
        CellType = cell, HiddenSize = 24, EmbeddingSize = 8, NumberOfLayers = 1, Dropout = 0, MaxEpochs = epochs,
        BatchSize = 16, SequenceLength = 32, LearningRate = 2e-2f, Seed = 7, NumberOfThreads = TestThreads.Count, EarlyStoppingPatience = 0,
    };

    private static IDataView Periodic(MLContext ml, int rows, int repeats) => Load(ml, Enumerable.Repeat(string.Concat(Enumerable.Repeat("abc", repeats)), rows));

    [Theory]
    [InlineData(CharRnnCellType.Lstm)]
    [InlineData(CharRnnCellType.Gru)]
    [InlineData(CharRnnCellType.Vanilla)]
    public void APeriodicStringIsLearnedToNearZeroLossAndGenerated(CharRnnCellType cell)
    {
        var ml = new MLContext(1);
        var options = Tiny(15, cell);
        if (cell == CharRnnCellType.Vanilla)
        {
            // At 2e-2 the tanh RNN missed the row's end (loss 0.08-0.17, wrong generation) for 1 or 2 of seeds 0-9, with
            // 15 or 25 epochs, on 1 and 2 threads; at 1e-2 for 20 epochs it learned every time (seeds 0-9 on 1 thread,
            // 0-4 on 2 threads and with AVX2: loss 0.0029-0.0059).
            options.LearningRate = 1e-2f;
            options.MaxEpochs = 20;
        }
        using var model = ml.Generative().CharRnn(options).Fit(Periodic(ml, 256, 4));
        // Seeds 0-4, 1 and 2 threads, AVX-512 and AVX2, loss and score alike: LSTM 0.0013-0.0041, GRU 0.0007-0.0015,
        // tanh RNN 0.0029-0.0059; generation right every time; threshold 0.05.
        Assert.True(model.TrainingSummary.BestLoss < 0.05, $"{cell}: validation loss {model.TrainingSummary.BestLoss}");
        Assert.Equal("abcabcabcabc", model.Generate("", maxLength: 50, temperature: 0f));
        Assert.Equal("abcabcabcabc", model.Generate("", maxLength: 50, temperature: 1f, seed: 3));
        var score = ml.Data.CreateEnumerable<TextPrediction>(model.Transform(Periodic(ml, 1, 4)), false).Single();
        Assert.True(score.Score < 0.05, $"{cell}: score {score.Score}");
    }

    [Fact]
    public void StreamModeLearnsAcrossRowsAndGeneratesLineBreaks()
    {
        var ml = new MLContext(1);
        // Lines of one text: "abcabc" then "xyz", alternating; only context across the line break tells which comes next.
        var lines = Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? "abcabc" : "xyz").ToList();
        var options = Tiny(12);
        options.ContextMode = CharRnnContextMode.Stream;
        options.SequenceLength = 20;
        using var model = ml.Generative().CharRnn(options).Fit(Load(ml, lines));
        Assert.Equal(CharRnnContextMode.Stream, model.ContextMode);
        // Seeds 0-4, 1 and 2 threads, AVX-512 and AVX2: 0.0090-0.0140; threshold 0.1. Generation right every time;
        // surprisal of "xyz" 0.0009-0.0019 (threshold 0.1); "cba" above the other two by 4.53-5.35 nats/char.
        Assert.True(model.TrainingSummary.BestLoss < 0.1, $"validation loss {model.TrainingSummary.BestLoss}");
        string text = model.Generate("abcabc\n", maxLength: 24, temperature: 0f);
        Assert.Equal("abcabc\nxyz\nabcabc\nxyz\nabcabc\n", text[..29]);
        // ScoreCharacters reads a line break as the end-of-row symbol in Stream mode; "xyz" is then near-certain.
        var characters = model.ScoreCharacters("abcabc\nxyz");
        Assert.Equal(11, characters.Count);
        Assert.True(characters[6].IsEndOfRow && characters[6].Text == "\n");
        Assert.True(characters.Skip(7).Take(3).All(c => c.Surprisal < 0.1), "after 'abcabc' and a line break comes 'xyz'");
        // Scoring still treats every row on its own, from the initial state.
        var scores = ml.Data.CreateEnumerable<TextPrediction>(model.Transform(Load(ml, new[] { "abcabc", "xyz", "cba" })), false).ToList();
        Assert.True(scores[2].Score > scores[0].Score && scores[2].Score > scores[1].Score);
    }

    [Fact]
    public void ScheduledSamplingTrainsToo()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        foreach (var schedule in new[] { ScheduledSampling.Linear, ScheduledSampling.Exponential, ScheduledSampling.InverseSigmoid })
        {
            var options = Tiny(15);
            options.ScheduledSampling = schedule;
            options.SamplingScheduleParameter = schedule switch { ScheduledSampling.Linear => 20, ScheduledSampling.Exponential => 0.9, _ => 3 };
            options.MaxSamplingProbability = 0.5f;
            using var model = ml.Generative().CharRnn(options).Fit(Periodic(ml, 256, 4));
            // Seeds 0-4, 1 and 2 threads, AVX-512 and AVX2: linear 0.0012-0.0029, exponential 0.0012-0.0024,
            // inverse sigmoid 0.0013-0.0033; threshold 0.1; generation right every time.
            Assert.True(model.TrainingSummary.BestLoss < 0.1, $"{schedule}: validation loss {model.TrainingSummary.BestLoss}");
            Assert.Equal("abcabcabcabc", model.Generate("", 50, temperature: 0f));
        }
    }

    [Fact]
    public void AConditionVectorSelectsWhatIsGenerated()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 128).Select(i => new ConditionedText
        {
            Text = i % 2 == 0 ? "aaaaaa" : "bbbbbb",
            Condition = i % 2 == 0 ? new float[] { 1, 0 } : new float[] { 0, 1 },
        }).ToList();
        var options = Tiny(15);
        options.InitialState = CharRnnInitialState.Condition;
        options.ConditionColumnName = "Condition";
        using var model = ml.Generative().CharRnn(options).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Equal("aaaaaa", model.Generate("", 20, temperature: 0f, condition: new float[] { 1, 0 }));
        Assert.Equal("bbbbbb", model.Generate("", 20, temperature: 0f, condition: new float[] { 0, 1 }));
        var scored = ml.Data.CreateEnumerable<TextPrediction>(model.Transform(ml.Data.LoadFromEnumerable(new[]
        {
            new ConditionedText { Text = "aaaaaa", Condition = new float[] { 1, 0 } },
            new ConditionedText { Text = "aaaaaa", Condition = new float[] { 0, 1 } },
        })), false).ToList();
        // Seeds 0-4, 1 and 2 threads, AVX-512 and AVX2: 1.60-7.55 nats/char apart; threshold 1; generation right every
        // time.
        Assert.True(scored[1].Score > scored[0].Score + 1, $"the text that does not match its condition is unlikely: {scored[1].Score} vs {scored[0].Score}");
        Assert.Throws<ArgumentException>(() => model.Generate("", 5));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(Load(ml, new[] { "aaaaaa" })).Preview());
        Assert.Contains("'Condition'", e.Message);
    }

    public sealed class ConditionedText
    {
        public string Text { get; set; }
        [VectorType(2)] public float[] Condition { get; set; }
    }

    [Fact]
    public void BidirectionalEmbeddingsConcatenateBothDirections()
    {
        var ml = new MLContext(1);
        var options = Tiny(3);
        options.Bidirectional = true;
        options.InitialState = CharRnnInitialState.Learned;
        var data = Load(ml, LogLines(120, 4));
        using var model = ml.Generative().CharRnn(options).Fit(data);
        Assert.Equal(48, model.EmbeddingColumnSize);
        Assert.NotNull(model.BackwardTrainingSummary);
        var p = ml.Data.CreateEnumerable<TextPrediction>(model.Transform(Load(ml, new[] { "INFO job 1234", "4321 boj OFNI" })), false).ToList();
        Assert.Equal(48, p[0].Embedding.Length);
        // The backward half reads the row from its end: it differs from the forward half.
        Assert.NotEqual(p[0].Embedding.Take(24), p[0].Embedding.Skip(24));
        var forwardOnly = ml.Generative().CharRnn(Tiny(3)).Fit(data);
        Assert.Null(forwardOnly.BackwardTrainingSummary);
        Assert.Equal(24, forwardOnly.EmbeddingColumnSize);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModel()
    {
        var options = Tiny(3);
        options.Dropout = 0.2f; // dropout draws random masks: they must come from the seed too
        options.NumberOfLayers = 2;
        float[] Scores()
        {
            var ml = new MLContext(1);
            using var model = ml.Generative().CharRnn(options).Fit(Load(ml, LogLines(100, 2)));
            return model.Transform(Load(ml, LogLines(20, 3))).GetColumn<float>("Score").ToArray();
        }
        Assert.Equal(Scores(), Scores());
    }

    [Fact]
    public void ProgressIsLoggedAndCancellationStopsTrainingWithoutAModel()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        ml.Generative().CharRnn(Tiny(2)).Fit(Load(ml, LogLines(60, 1)));
        Assert.Contains(messages, m => m.Contains("Epoch 1/2: training loss") && m.Contains("validation loss") && m.Contains("characters/s"));

        var cancelled = new MLContext(1);
        int epochsSeen = 0;
        cancelled.Log += (_, e) => { if (e.Message.Contains("Epoch 1/") && Interlocked.Increment(ref epochsSeen) == 1) cancelled.CancelExecution(); };
        CharRnnTransformer model = null;
        Assert.ThrowsAny<OperationCanceledException>(() => model = cancelled.Generative().CharRnn(Tiny(50)).Fit(Load(cancelled, LogLines(60, 1))));
        Assert.Null(model);
    }

    [Fact]
    public void ATimeBudgetEndsTrainingAndSaysSo()
    {
        // 10,000 epochs would take hours: these Fits end only because of their budgets. Nothing here is timed, so
        // how far training gets depends on the machine; what is checked does not.
        var messages = new List<string>();
        var ml = new MLContext(1);
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var data = Load(ml, LogLines(200, 1));

        // A budget spent before the first batch: no epoch completes, the model keeps its initial weights and scores.
        var options = Tiny(10_000);
        options.MaxTrainingTime = TimeSpan.FromTicks(1);
        using (var untrained = ml.Generative().CharRnn(options).Fit(data))
        {
            Assert.Equal(TrainingStopReason.TimeLimitReached, untrained.TrainingSummary.StopReason);
            Assert.Equal(0, untrained.TrainingSummary.BestEpoch);
            Assert.Empty(untrained.TrainingSummary.History);
            Assert.All(untrained.Transform(data).GetColumn<float>("Score"), s => Assert.True(float.IsFinite(s) && s > 0, $"score {s}"));
        }
        Assert.Contains(messages, m => m.Contains("Training time limit") && m.Contains("reached"));

        // A budget of half a second: training stops early for it, keeping the best epoch it reached (if any).
        options.MaxTrainingTime = TimeSpan.FromSeconds(0.5);
        using var model = ml.Generative().CharRnn(options).Fit(data);
        var summary = model.TrainingSummary;
        Assert.Equal(TrainingStopReason.TimeLimitReached, summary.StopReason);
        Assert.InRange(summary.BestEpoch, 0, summary.History.Count);
        if (summary.BestEpoch > 0)
            Assert.Equal(summary.History[summary.BestEpoch - 1].ValidationLoss, summary.BestLoss);
    }
}
