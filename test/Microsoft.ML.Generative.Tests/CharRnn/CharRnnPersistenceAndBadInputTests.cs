using System.Diagnostics;
using Microsoft.ML.Generative.Persistence;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Microsoft.ML.Generative.Tests.Persistence;
using Xunit;
using static Microsoft.ML.Generative.Tests.Infrastructure.TextRows;

namespace Microsoft.ML.Generative.Tests.CharRnn;

/// <summary>Save/load through ML.NET's zip (same and fresh process) and clear errors for bad input.</summary>
public class CharRnnPersistenceAndBadInputTests : IClassFixture<CharRnnFixture>, IDisposable
{
    private readonly CharRnnFixture _f;
    private readonly string _dir = Directory.CreateTempSubdirectory("charrnn-tests-").FullName;

    public CharRnnPersistenceAndBadInputTests(CharRnnFixture fixture) => _f = fixture;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<string> Lines => _f.TestLines.Concat(Unusual).Append("").Append("INFO 日本 😀").ToList();

    private static float[] Outputs(ITransformer model, MLContext ml, List<string> lines)
    {
        var values = new List<float>();
        void Add(TextPrediction p) { values.Add(p.LogLikelihood); values.Add(p.Score); values.Add(p.BitsPerCharacter); values.AddRange(p.Embedding); }
        foreach (var p in ml.Data.CreateEnumerable<TextPrediction>(model.Transform(Load(ml, lines)), false)) Add(p);
        var engine = ml.Model.CreatePredictionEngine<TextRow, TextPrediction>(model);
        foreach (var line in lines) Add(engine.Predict(new TextRow { Text = line }));
        return values.ToArray();
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"value {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    private string SavePipeline()
    {
        string path = Path.Combine(_dir, "charrnn.zip");
        _f.Ml.Model.Save(_f.Model, _f.Train.Schema, path);
        return path;
    }

    [Fact]
    public void SavedModelScoresBitIdenticallyAfterLoadingAndKeepsItsSettings()
    {
        var expected = Outputs(_f.Model, _f.Ml, Lines);
        var ml = new MLContext(seed: 5);
        var loaded = Assert.IsType<CharRnnTransformer>(ml.Model.Load(SavePipeline(), out var schema));
        Assert.Equal(_f.Train.Schema["Text"].Type, schema["Text"].Type);
        AssertBitIdentical(expected, Outputs(loaded, ml, Lines));
        Assert.Equal(_f.Model.Vocabulary, loaded.Vocabulary);
        Assert.Equal(_f.Model.TrainingSummary.BestEpoch, loaded.TrainingSummary.BestEpoch);
        Assert.Equal(_f.Model.Generate("INFO", 80, 0.7f, seed: 3), loaded.Generate("INFO", 80, 0.7f, seed: 3));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(SavePipeline()))
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("Model.bin"));
    }

    [Fact]
    public void LoadedPipelineScoresBitIdenticallyInAFreshProcess()
    {
        // A pipeline (text normalisation -> char-RNN) saved here, loaded and scored by a separate process.
        var pipeline = _f.Ml.Transforms.Text.NormalizeText("Text", "Text", keepDiacritics: true, keepPunctuations: true, keepNumbers: true,
                caseMode: Transforms.Text.TextNormalizingEstimator.CaseMode.None)
            .Append(_f.Ml.Generative().CharRnn(new CharRnnOptions { HiddenSize = 16, EmbeddingSize = 8, NumberOfLayers = 1, MaxEpochs = 2, Seed = 1, NumberOfThreads = TestThreads.Count }));
        var model = pipeline.Fit(_f.Train);
        string zip = Path.Combine(_dir, "pipeline.zip");
        _f.Ml.Model.Save(model, _f.Train.Schema, zip);
        var lines = Lines.Where(l => l.Length > 0).ToList(); // File.ReadAllLines cannot represent a trailing empty line
        string input = Path.Combine(_dir, "rows.txt");
        File.WriteAllLines(input, lines);
        string output = Path.Combine(_dir, "scores.bin");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { PersistenceTests.ModelHostPath(), "charrnn", zip, input, output }) start.ArgumentList.Add(a);
        TestThreads.PinChildProcess(start);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ModelHost exited with {process.ExitCode}: {stderr}");
        var bytes = File.ReadAllBytes(output);
        var actual = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, actual, 0, bytes.Length);
        AssertBitIdentical(Outputs(model, _f.Ml, lines), actual);
    }

    [Fact]
    public void DamagedOrFutureModelsAreRejectedClearly()
    {
        byte[] saved = CharRnnModelSerializer.Instance.Serialize(_f.Model.Model);
        var truncated = saved.Take(saved.Length - 100).ToArray();
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => CharRnnModelSerializer.Instance.Deserialize(truncated)).Message);
        var corrupted = (byte[])saved.Clone();
        corrupted[^50] ^= 0xFF;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => CharRnnModelSerializer.Instance.Deserialize(corrupted)).Message);
        var future = (byte[])saved.Clone();
        BitConverter.GetBytes(CharRnnModelSerializer.Instance.CurrentVersion + 1).CopyTo(future, ModelContainer.FormatVersionOffset);
        Assert.Contains("newer version", Assert.Throws<NotSupportedException>(() => CharRnnModelSerializer.Instance.Deserialize(future)).Message);
        Assert.Contains("'CharRnn'", Assert.Throws<InvalidDataException>(() => RealNvpModelSerializer.Instance.Deserialize(saved)).Message);
    }

    [Fact]
    public void AFormat1ModelStillLoadsAndReadsFirstToLast()
    {
        // Format 1 (before ReadingOrder) is format 2 without the trailing reading order.
        var (body, version) = ModelContainer.Unwrap(CharRnnModelSerializer.Instance.Serialize(_f.Model.Model), CharRnnModelSerializer.Instance.Kind, CharRnnModelSerializer.Instance.CurrentVersion);
        Assert.Equal(2, version);
        var format1 = ModelContainer.Wrap(CharRnnModelSerializer.Instance.Kind, 1, body[..^sizeof(int)]);
        using var model = CharRnnModelSerializer.Instance.Deserialize(format1);
        Assert.Equal(CharRnnReadingOrder.FirstToLast, model.ReadingOrder);
        var expected = _f.Model.ScoreCharacters(_f.TestLines[0]).Select(c => c.LogProbability);
        using var loaded = new CharRnnTransformer(_f.Ml, CharRnnModelSerializer.Instance.Deserialize(format1));
        Assert.Equal(expected, loaded.ScoreCharacters(_f.TestLines[0]).Select(c => c.LogProbability));
    }

    [Fact]
    public void MissingOrMistypedColumnsAreReportedByName()
    {
        var numbers = _f.Ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1f }, new NumberRow { Text = 2f } });
        var fitMissing = Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn("Message").Fit(_f.Train));
        Assert.Contains("'Message'", fitMissing.Message);
        var fitWrongType = Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn().Fit(numbers));
        Assert.Contains("expected Text", fitWrongType.Message);
        var transformWrongType = Assert.Throws<ArgumentOutOfRangeException>(() => _f.Model.Transform(numbers));
        Assert.Contains("'Text'", transformWrongType.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Model.GetOutputSchema(numbers.Schema));
    }

    public sealed class NumberRow
    {
        public float Text { get; set; }
    }

    [Fact]
    public void EmptyTrainingDataAndInvalidOptionsAreRejected()
    {
        var empty = Load(_f.Ml, Array.Empty<string>());
        Assert.Contains("no rows", Assert.Throws<InvalidOperationException>(() => _f.Ml.Generative().CharRnn().Fit(empty)).Message);
        var emptyStream = Load(_f.Ml, new[] { "", "" });
        Assert.Throws<InvalidOperationException>(() => _f.Ml.Generative().CharRnn("Text", CharRnnContextMode.Stream).Fit(emptyStream));
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { HiddenSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { Dropout = 1 }));
        Assert.Throws<ArgumentException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { InitialState = CharRnnInitialState.Condition }));
        Assert.Throws<ArgumentException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { ConditionColumnName = "V" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { ScheduledSampling = ScheduledSampling.Exponential, SamplingScheduleParameter = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { Device = "tpu" }));
        Assert.Throws<ArgumentException>(() => _f.Ml.Generative().CharRnn(new CharRnnOptions { ContextMode = CharRnnContextMode.Stream, ReadingOrder = CharRnnReadingOrder.LastToFirst }));
    }

    [Fact]
    public void ANonFiniteConditionValueNamesTheRow()
    {
        var ml = new MLContext(1);
        var rows = Enumerable.Range(0, 20).Select(i => new CharRnnLearningTests.ConditionedText { Text = "ab", Condition = new float[] { i, 1 } }).ToList();
        rows[13].Condition = new float[] { float.NaN, 1 };
        var options = new CharRnnOptions { InitialState = CharRnnInitialState.Condition, ConditionColumnName = "Condition", MaxEpochs = 1, HiddenSize = 8, EmbeddingSize = 4, NumberOfLayers = 1, NumberOfThreads = TestThreads.Count };
        var e = Assert.Throws<InvalidOperationException>(() => ml.Generative().CharRnn(options).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Condition', row 13", e.Message);
    }
}
