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
        BatchSize = 16, SequenceLength = 32, LearningRate = 2e-2f, Seed = 7, NumberOfThreads = 1, EarlyStoppingPatience = 0,
    };

    private static IDataView Periodic(MLContext ml, int rows, int repeats) => Load(ml, Enumerable.Repeat(string.Concat(Enumerable.Repeat("abc", repeats)), rows));

    [Theory]
    [InlineData(CharRnnCellType.Lstm)]
    [InlineData(CharRnnCellType.Gru)]
    [InlineData(CharRnnCellType.Vanilla)]
    public void APeriodicStringIsLearnedToNearZeroLossAndGenerated(CharRnnCellType cell)
    {
        var ml = new MLContext(1);
        using var model = ml.Generative().CharRnn(Tiny(15, cell)).Fit(Periodic(ml, 256, 4));
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
        Assert.True(scored[1].Score > scored[0].Score + 1, "the text that does not match its condition is unlikely");
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
        var ml = new MLContext(1);
        var options = Tiny(10_000);
        options.MaxTrainingTime = TimeSpan.FromSeconds(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var model = ml.Generative().CharRnn(options).Fit(Load(ml, LogLines(200, 1)));
        Assert.Equal(TrainingStopReason.TimeLimitReached, model.TrainingSummary.StopReason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.True(model.TrainingSummary.BestEpoch >= 1);
    }
}
