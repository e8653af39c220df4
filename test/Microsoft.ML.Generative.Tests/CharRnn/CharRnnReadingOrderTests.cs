using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;
using static Microsoft.ML.Generative.Tests.Infrastructure.TextRows;

namespace Microsoft.ML.Generative.Tests.CharRnn;

/// <summary>
/// <see cref="CharRnnReadingOrder.LastToFirst"/>: the model must be exactly a first-to-last model of the reversed rows,
/// while every output stays in the text's own order.
/// </summary>
public class CharRnnReadingOrderTests
{
    private static CharRnnOptions Tiny(CharRnnReadingOrder order) => new CharRnnOptions
    {
        ReadingOrder = order, HiddenSize = 24, EmbeddingSize = 8, NumberOfLayers = 1, Dropout = 0, MaxEpochs = 3,
        BatchSize = 16, SequenceLength = 32, LearningRate = 2e-2f, Seed = 7, NumberOfThreads = TestThreads.Count,
    };

    private static string Reverse(string text) => string.Concat(text.EnumerateRunes().Reverse());

    private static List<TextPrediction> Predict(MLContext ml, ITransformer model, IEnumerable<string> lines)
        => ml.Data.CreateEnumerable<TextPrediction>(model.Transform(Load(ml, lines)), false).ToList();

    [Fact]
    public void LastToFirstIsTheFirstToLastModelOfTheReversedRowsWithOutputsInTextOrder()
    {
        var ml = new MLContext(1);
        var train = LogLines(120, 4);
        using var lastToFirst = ml.Generative().CharRnn(Tiny(CharRnnReadingOrder.LastToFirst)).Fit(Load(ml, train));
        using var ofReversed = ml.Generative().CharRnn(Tiny(CharRnnReadingOrder.FirstToLast)).Fit(Load(ml, train.Select(Reverse)));
        Assert.Equal(CharRnnReadingOrder.LastToFirst, lastToFirst.ReadingOrder);

        var lines = LogLines(8, 5).Append("").Concat(Unusual).ToList();
        var a = Predict(ml, lastToFirst, lines);
        var b = Predict(ml, ofReversed, lines.Select(Reverse));
        // Bits, not a tolerance: LastToFirst reverses each row before anything else, so both models are trained and
        // score by the same computation on the same inputs (same seed, same threads, same vocabulary and batches).
        for (int i = 0; i < lines.Count; i++)
        {
            Assert.Equal(b[i].LogLikelihood, a[i].LogLikelihood);
            Assert.Equal(b[i].Score, a[i].Score);
            Assert.Equal(b[i].Embedding, a[i].Embedding);

            // Per-character scores: listed in the text's order, each the reversed model's score of that character.
            var characters = lastToFirst.ScoreCharacters(lines[i]);
            var reversed = ofReversed.ScoreCharacters(Reverse(lines[i]));
            int n = characters.Count - 1;
            for (int k = 0; k < n; k++)
            {
                Assert.Equal(k, characters[k].Index);
                Assert.Equal(lines[i].EnumerateRunes().ElementAt(k).ToString(), characters[k].Text);
                Assert.Equal(reversed[n - 1 - k].LogProbability, characters[k].LogProbability);
            }
            Assert.True(characters[n].IsEndOfRow);
            Assert.Equal(reversed[n].LogProbability, characters[n].LogProbability);
            // ScoreCharacters (one row) against Transform (a batch): every log-probability is <= 0, so |LogLikelihood| is
            // the sum of the terms' sizes and float32 rounding (about 1e-7 of each) stays far below 1e-5 of it.
            AssertClose.Relative(a[i].LogLikelihood, characters.Sum(c => (double)c.LogProbability), 1e-5, $"line {i}: sum of per-character log-probabilities vs LogLikelihood");
        }

        // The next character for LastToFirst is the one before the text; generation writes backwards to the prompt.
        var before = lastToFirst.NextCharacterProbabilities("job");
        Assert.Equal(ofReversed.NextCharacterProbabilities("boj"), before);
        // A float32 softmax over a few dozen symbols, summed in double: off from 1 by a few 1e-8.
        AssertClose.Relative(1.0, before.Values.Sum(v => (double)v), 1e-5, "sum of next-character probabilities");
        string generated = lastToFirst.Generate("job", maxLength: 60, temperature: 0.8f, seed: 2);
        Assert.EndsWith("job", generated);
        Assert.True(generated.Length > 3);
        Assert.Equal(Reverse(ofReversed.Generate("boj", maxLength: 60, temperature: 0.8f, seed: 2)), generated);
    }

    [Fact]
    public void ALastToFirstModelKeepsItsOrderThroughSaveAndLoadAndWithASecondDirection()
    {
        var ml = new MLContext(1);
        var data = Load(ml, LogLines(120, 4));
        using var model = ml.Generative().CharRnn(Tiny(CharRnnReadingOrder.LastToFirst)).Fit(data);
        var lines = LogLines(6, 6).Concat(Unusual).ToList();
        var expected = Predict(ml, model, lines);

        string path = Path.Combine(Path.GetTempPath(), $"charrnn-order-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = Assert.IsType<CharRnnTransformer>(new MLContext(3).Model.Load(path, out _));
            Assert.Equal(CharRnnReadingOrder.LastToFirst, loaded.ReadingOrder);
            var actual = Predict(ml, loaded, lines);
            Assert.Equal(expected.Select(p => p.LogLikelihood), actual.Select(p => p.LogLikelihood));
            Assert.Equal(model.Generate("x", 40, 0.8f, seed: 1), loaded.Generate("x", 40, 0.8f, seed: 1));
        }
        finally
        {
            File.Delete(path);
        }

        // With Bidirectional the first model is the same last-to-first model; the second reads first to last.
        var both = Tiny(CharRnnReadingOrder.LastToFirst);
        both.Bidirectional = true;
        using var bidirectional = ml.Generative().CharRnn(both).Fit(data);
        var withSecond = Predict(ml, bidirectional, lines);
        Assert.Equal(expected.Select(p => p.LogLikelihood), withSecond.Select(p => p.LogLikelihood));
        Assert.Equal(expected[0].Embedding, withSecond[0].Embedding.Take(24));
        Assert.Equal(48, withSecond[0].Embedding.Length);
    }

    [Fact]
    public void LastToFirstIsRejectedInStreamMode()
    {
        var ml = new MLContext(1);
        var options = Tiny(CharRnnReadingOrder.LastToFirst);
        options.ContextMode = CharRnnContextMode.Stream;
        var error = Assert.Throws<ArgumentException>(() => ml.Generative().CharRnn(options));
        Assert.Equal("ReadingOrder", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Generative().CharRnn(new CharRnnOptions { ReadingOrder = (CharRnnReadingOrder)7 }));
    }
}
