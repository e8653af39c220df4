using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Persistence;

/// <summary>Save/Load through ML.NET's model zip: bit-identical scores, in this process and in a fresh one; damaged files fail clearly.</summary>
public class PersistenceTests : IClassFixture<TrainedFlowFixture>, IDisposable
{
    private readonly TrainedFlowFixture _f;
    private readonly string _dir = Directory.CreateTempSubdirectory("mlgen-persist-").FullName;

    public PersistenceTests(TrainedFlowFixture fixture) => _f = fixture;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SaveChain(string name = "model.zip")
    {
        string path = Path.Combine(_dir, name);
        _f.Ml.Model.Save(_f.Model, _f.Train.Schema, path);
        return path;
    }

    /// <summary>Score, LogLikelihood and Latent bits of every test row, via Transform then via PredictionEngine.</summary>
    private float[] Outputs(ITransformer model, MLContext ml)
    {
        var result = new List<float>();
        var scored = model.Transform(_f.Test);
        var s = scored.GetColumn<float>("Score").ToArray();
        var ll = scored.GetColumn<float>("LogLikelihood").ToArray();
        var z = scored.GetColumn<float[]>("Latent").ToArray();
        for (int i = 0; i < s.Length; i++) { result.Add(s[i]); result.Add(ll[i]); result.AddRange(z[i]); }
        var engine = ml.Model.CreatePredictionEngine<AbcRow, FlowPrediction>(model);
        foreach (var row in _f.TestRows)
        {
            var p = engine.Predict(row);
            result.Add(p.Score); result.Add(p.LogLikelihood); result.AddRange(p.Latent);
        }
        return result.ToArray();
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"value {i}: {expected[i]:R} vs {actual[i]:R}");
    }

    [Fact]
    public void LoadedPipelineScoresBitIdenticallyInThisProcess()
    {
        var expected = Outputs(_f.Model, _f.Ml);
        var ml = new MLContext(seed: 99);
        var loaded = ml.Model.Load(SaveChain(), out var schema);
        Assert.NotNull(schema.GetColumnOrNull("A"));
        var chain = Assert.IsAssignableFrom<TransformerChain<ITransformer>>(loaded);
        var flow = Assert.IsType<RealNvpTransformer>(chain.Last());
        Assert.Equal(_f.Flow.Threshold, flow.Threshold);
        Assert.Equal(_f.Flow.TrainingSummary.BestEpoch, flow.TrainingSummary.BestEpoch);
        Assert.Equal(_f.Flow.TrainingSummary.History.Count, flow.TrainingSummary.History.Count);
        AssertBitIdentical(expected, Outputs(loaded, ml));

        // Saving the loaded model again and loading that gives the same bits too.
        string again = Path.Combine(_dir, "again.zip");
        ml.Model.Save(loaded, schema, again);
        AssertBitIdentical(expected, Outputs(ml.Model.Load(again, out _), ml));
    }

    [Fact]
    public void LoadedPipelineScoresBitIdenticallyInAFreshProcess()
    {
        string zip = SaveChain();
        string csv = Path.Combine(_dir, "rows.csv");
        File.WriteAllLines(csv, new[] { "A,B,C" }.Concat(_f.TestRows.Select(r =>
            string.Join(",", new[] { r.A, r.B, r.C }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
        string output = Path.Combine(_dir, "scores.bin");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { ModelHostPath(), zip, csv, output }) start.ArgumentList.Add(a);
        TestThreads.PinChildProcess(start);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ModelHost exited with {process.ExitCode}: {stderr}");

        var bytes = File.ReadAllBytes(output);
        var actual = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, actual, 0, bytes.Length);
        AssertBitIdentical(Outputs(_f.Model, _f.Ml), actual);
    }

    [Fact]
    public void ASingleTransformerSavesAndLoadsToo()
    {
        string path = Path.Combine(_dir, "flow.zip");
        var features = _f.Model.First().Transform(_f.Train);
        _f.Ml.Model.Save(_f.Flow, features.Schema, path);
        var loaded = Assert.IsType<RealNvpTransformer>(_f.Ml.Model.Load(path, out _));
        var testFeatures = _f.Model.First().Transform(_f.Test);
        Assert.Equal(_f.Flow.Transform(testFeatures).GetColumn<float>("Score"), loaded.Transform(testFeatures).GetColumn<float>("Score"));
        var z = new[] { 0.3f, -1.2f, 0.7f };
        Assert.Equal(_f.Flow.Inverse(z), loaded.Inverse(z));
        Assert.Equal(_f.Flow.Sample(20, 1f, seed: 4).GetColumn<float[]>("Features").SelectMany(v => v), loaded.Sample(20, 1f, seed: 4).GetColumn<float[]>("Features").SelectMany(v => v));
    }

    [Fact]
    public void TheZipIsANormalMLNetModelZip()
    {
        using var zip = ZipFile.OpenRead(SaveChain());
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
        Assert.Contains(names, n => n.StartsWith("TransformerChain/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("/Model.key", StringComparison.Ordinal));
        Assert.Contains("Schema", names);                       // the input schema, as for any ML.NET model
        Assert.Contains("TransformerChain/Transform_000/Model.key", names); // Concatenate
        Assert.Equal("TransformerChain/Transform_001/Model.bin", Assert.Single(names, n => n.EndsWith("/Model.bin", StringComparison.Ordinal)));
    }

    [Fact]
    public void ATruncatedZipFailsWithAClearException()
    {
        string path = SaveChain();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var ex = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        Assert.True(ex is InvalidDataException || ex.InnerException is InvalidDataException || ex.Message.Contains("corrupt", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("Central Directory"), ex.ToString());
    }

    [Fact]
    public void ACorruptedModelEntryIsReportedAsCorrupted()
    {
        string path = SaveChain();
        RewriteModelBin(path, bytes => bytes[bytes.Length - 100] ^= 0x5A);
        var ex = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        var inner = Find<InvalidDataException>(ex);
        Assert.True(inner != null, ex.ToString());
        Assert.Contains("checksum", inner.Message);
    }

    [Fact]
    public void AModelFromAFutureFormatVersionAsksForAnUpgrade()
    {
        string path = SaveChain();
        // The container's int32 format version sits at offset 8, after the 8-byte magic (Persistence/ModelContainer.cs).
        RewriteModelBin(path, bytes => BitConverter.GetBytes(99).CopyTo(bytes, 8));
        var ex = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        var inner = Find<NotSupportedException>(ex);
        Assert.True(inner != null, ex.ToString());
        Assert.Contains("newer version", inner.Message);
        Assert.Contains("99", inner.Message);
    }

    private static void RewriteModelBin(string zipPath, Action<byte[]> edit)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.Replace('\\', '/').EndsWith("/Model.bin", StringComparison.Ordinal));
        byte[] bytes;
        using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); bytes = m.ToArray(); }
        edit(bytes);
        string name = entry.FullName;
        entry.Delete();
        using var w = zip.CreateEntry(name).Open();
        w.Write(bytes);
    }

    private static T Find<T>(Exception ex) where T : Exception
    {
        for (var e = ex; e != null; e = e.InnerException)
            if (e is T t) return t;
        return null;
    }

    internal static string ModelHostPath()
    {
        // test/Microsoft.ML.Generative.Tests/bin/<Configuration>/net10.0/ -> test/Microsoft.ML.Generative.ModelHost/bin/<Configuration>/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = testBin.Parent!.Name;
        string path = Path.Combine(SharedData.RepositoryRoot, "test", "Microsoft.ML.Generative.ModelHost", "bin", configuration, testBin.Name, "Microsoft.ML.Generative.ModelHost.dll");
        Assert.True(File.Exists(path), $"ModelHost not built at {path}");
        return path;
    }
}
