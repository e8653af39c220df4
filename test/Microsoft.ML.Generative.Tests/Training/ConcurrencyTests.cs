using Microsoft.ML.Generative.Tests.Infrastructure;
using TorchSharp;
using Xunit;
using static Microsoft.ML.Generative.Tests.Infrastructure.ImageRows;

namespace Microsoft.ML.Generative.Tests.Training;

/// <summary>
/// Fit and Transform from several threads: concurrent Fits give the models of the same Fits run one after the other
/// (they share TorchSharp's global generator, so the library runs them one at a time), TorchSharp's process-wide state is
/// as found afterwards, and the image flow's Transform from several threads matches a serial Transform.
/// </summary>
public class ConcurrencyTests
{
    private static CharRnnOptions TextOptions(int seed) => new CharRnnOptions
    {
        // Dropout draws its masks from the global generator for the whole run: the case a second Fit would disturb.
        CellType = CharRnnCellType.Gru, HiddenSize = 16, EmbeddingSize = 8, NumberOfLayers = 2, Dropout = 0.3f,
        MaxEpochs = 3, BatchSize = 16, Seed = seed, NumberOfThreads = TestThreads.Count,
    };

    private static float[] Scores(ITransformer model, IDataView data, string column = "LogLikelihood")
        => model.Transform(data).GetColumn<float>(column).ToArray();

    [Fact]
    public async Task TwoFitsOnDifferentThreadsGiveTheModelsOfTwoSerialFits()
    {
        var ml = new MLContext(seed: 1);
        var lines = TextRows.Load(ml, TextRows.LogLines(300, seed: 4));
        var test = TextRows.Load(ml, TextRows.LogLines(30, seed: 5).Concat(TextRows.Unusual));
        var rows = Rows.Load(ml, ToyDistributions.EightGaussians(600, seed: 6));

        float[] textSerialA, textSerialB, flowSerial;
        using (var a = ml.Generative().CharRnn(TextOptions(seed: 11)).Fit(lines)) textSerialA = Scores(a, test);
        using (var b = ml.Generative().CharRnn(TextOptions(seed: 12)).Fit(lines)) textSerialB = Scores(b, test);
        using (var f = ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 5, Seed = 13, NumberOfThreads = TestThreads.Count }).Fit(rows)) flowSerial = Scores(f, rows);

        using var start = new Barrier(3);
        float[] Concurrent(Func<GenerativeTransformer> fit, IDataView data)
        {
            start.SignalAndWait();
            using var model = fit();
            return Scores(model, data);
        }
        var textA = Task.Run(() => Concurrent(() => ml.Generative().CharRnn(TextOptions(seed: 11)).Fit(lines), test));
        var textB = Task.Run(() => Concurrent(() => ml.Generative().CharRnn(TextOptions(seed: 12)).Fit(lines), test));
        var flow = Task.Run(() => Concurrent(() => ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 5, Seed = 13, NumberOfThreads = TestThreads.Count }).Fit(rows), rows));
        await Task.WhenAll(textA, textB, flow);

        // Each Fit ran alone (the library serialises them) on the same data, seed and thread count: the same computation.
        Assert.Equal(textSerialA, await textA);
        Assert.Equal(textSerialB, await textB);
        Assert.Equal(flowSerial, await flow);
        Assert.NotEqual(textSerialA, textSerialB); // the seeds matter, so the comparison above could fail
    }

    [Fact]
    public async Task ConcurrentFitsLeaveTheThreadCountAndTheGlobalGeneratorAsFound()
    {
        var ml = new MLContext(seed: 2);
        var lines = TextRows.Load(ml, TextRows.LogLines(120, seed: 7));
        int threads = torch.get_num_threads();
        torch.random.manual_seed(424242);
        var before = torch.random.get_rng_state().data<byte>().ToArray();
        try
        {
            // NumberOfThreads differs from the process's setting, so each Fit changes it and must put it back.
            var options = TextOptions(seed: 3);
            options.NumberOfThreads = threads == 1 ? 2 : 1;
            options.MaxEpochs = 1;
            var fits = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ml.Generative().CharRnn(options).Fit(lines).Dispose())).ToArray();
            await Task.WhenAll(fits);
            Assert.Equal(threads, torch.get_num_threads());
            Assert.Equal(before, torch.random.get_rng_state().data<byte>().ToArray());
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    [Fact]
    public void LoadingAModelLeavesTheGlobalGeneratorAsFound()
    {
        var ml = new MLContext(seed: 3);
        var lines = TextRows.Load(ml, TextRows.LogLines(60, seed: 8));
        var options = TextOptions(seed: 4);
        options.MaxEpochs = 1;
        using var model = ml.Generative().CharRnn(options).Fit(lines);
        string path = Path.Combine(Path.GetTempPath(), $"mlgen-concurrency-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, lines.Schema, path);
            torch.random.manual_seed(99);
            var before = torch.random.get_rng_state().data<byte>().ToArray();
            var loaded = ml.Model.Load(path, out _); // builds two GRU networks, whose constructors draw initial weights
            Assert.Equal(before, torch.random.get_rng_state().data<byte>().ToArray());
            Assert.Equal(Scores(model, lines), Scores(loaded, lines));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ImageTransformFromSeveralThreadsMatchesSerial()
    {
        var ml = new MLContext(seed: 4);
        var train = Load(ml, Bars(200, seed: 21));
        var test = Load(ml, Bars(300, seed: 22).Concat(Noise(60, seed: 23)));
        using var model = ml.Generative().RealNvpImage(new RealNvpImageOptions
        {
            Channels = 1, Height = Side, Width = Side, PixelLevels = Levels, FeatureMaps = 16, NumberOfResidualBlocks = 1,
            MaxEpochs = 2, BatchSize = 32, Seed = 5, NumberOfThreads = TestThreads.Count, ScoringBatchSize = 64,
        }).Fit(train);
        string[] columns = { "Score", "BitsPerDimension", "ComplexityScore", "TypicalityScore" };
        var serial = columns.Select(c => Scores(model, test, c)).ToArray();
        var results = new float[6][][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = results.Length }, t =>
            results[t] = columns.Select(c => Scores(model, test, c)).ToArray());
        // Same batches, but libtorch may split a kernel's work differently while other threads call it: compare with a
        // tolerance of a few float32 roundings relative to the values' size (bits/dim of 4-level images are about 1).
        const double tolerance = 1e-5;
        foreach (var result in results)
            for (int c = 0; c < columns.Length; c++)
                for (int i = 0; i < serial[c].Length; i++)
                    Assert.True(Math.Abs(result[c][i] - serial[c][i]) <= tolerance * Math.Max(1, Math.Abs(serial[c][i])),
                        $"{columns[c]}, row {i}: {result[c][i]:R} vs serial {serial[c][i]:R} (relative tolerance {tolerance})");
    }
}
