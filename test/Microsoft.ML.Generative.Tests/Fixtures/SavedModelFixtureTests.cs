using System.Text.Json.Nodes;
using Xunit;

namespace Microsoft.ML.Generative.Tests.Fixtures;

/// <summary>
/// Saved models stay loadable: every model zip checked in under Fixtures/Models (one per model family and format version,
/// written by test/Microsoft.ML.Generative.ModelHost's <c>write-fixtures</c>) loads with this version of the library and
/// scores its fixed rows as it did when it was written. A change of saved keys, of a format without reading the old one,
/// or of what a saved field means fails here.
/// </summary>
public class SavedModelFixtureTests
{
    /// <summary>
    /// Relative tolerance of the comparison: the outputs were computed on another CPU, or another oneDNN kernel family,
    /// whose float32 sums may come out in another order (errors of a few 1e-7 relative through these small networks).
    /// A scalar is compared relative to max(|expected|, 1), a vector relative to max(largest |expected value|, 1).
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models");

    public static IEnumerable<object[]> Fixtures()
        => Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void EveryModelFamilyHasAFixture()
    {
        var kinds = Directory.GetFiles(Folder, "*.json").Select(f => (string)JsonNode.Parse(File.ReadAllText(f))!["kind"]).ToHashSet();
        Assert.Superset(new HashSet<string> { "RealNvp", "RealNvpImage", "CharRnn", "PixelRnn" }, kinds);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void SavedModelLoadsAndScoresItsRowsAsWhenItWasWritten(string fixture)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, fixture)))!;
        string zip = Path.Combine(Folder, Path.ChangeExtension(fixture, ".zip"));
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(zip, out var inputSchema);
        string column = (string)document["inputColumn"]!;
        var inputColumn = inputSchema.GetColumnOrNull(column);
        Assert.True(inputColumn.HasValue, $"{fixture}: the saved input schema has no column '{column}'.");

        IDataView scored = model.Transform(Inputs(ml, document["inputs"]!.AsArray(), column, inputColumn.Value.Type));
        foreach (var (name, expected) in document["outputs"]!.AsObject())
        {
            var output = scored.Schema.GetColumnOrNull(name);
            Assert.True(output.HasValue, $"{fixture}: the loaded model has no output column '{name}'.");
            var type = output.Value.Type;
            if (type is VectorDataViewType)
                CompareVectors(fixture, name, expected!.AsArray(), scored.GetColumn<float[]>(name).ToArray());
            else if (type == BooleanDataViewType.Instance)
                Assert.Equal(expected!.AsArray().Select(v => (bool)v!), scored.GetColumn<bool>(name));
            else
                CompareScalars(fixture, name, expected!.AsArray(), scored.GetColumn<float>(name).ToArray());
        }
    }

    private static IDataView Inputs(MLContext ml, JsonArray rows, string column, DataViewType type)
    {
        if (type is TextDataViewType)
            return ml.Data.LoadFromEnumerable(rows.Select(r => new TextInput { Value = (string)r! }), Definition<TextInput>(column, type));
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorInput { Value = r!.AsArray().Select(v => (float)(double)v!).ToArray() }),
            Definition<VectorInput>(column, type));
    }

    private static SchemaDefinition Definition<T>(string column, DataViewType type)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        var value = definition["Value"];
        value.ColumnType = type;
        value.ColumnName = column;
        return definition;
    }

    private static void CompareScalars(string fixture, string name, JsonArray expected, float[] actual)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = (double)expected[i]!;
            Assert.True(Math.Abs(actual[i] - e) <= RelativeTolerance * Math.Max(Math.Abs(e), 1),
                $"{fixture}, {name}, row {i}: {actual[i]:R}, expected {e:R} (relative tolerance {RelativeTolerance}).");
        }
    }

    private static void CompareVectors(string fixture, string name, JsonArray expected, float[][] actual)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            var e = expected[i]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.Equal(e.Length, actual[i].Length);
            double scale = Math.Max(e.Max(Math.Abs), 1);
            for (int j = 0; j < e.Length; j++)
                Assert.True(Math.Abs(actual[i][j] - e[j]) <= RelativeTolerance * scale,
                    $"{fixture}, {name}, row {i}, slot {j}: {actual[i][j]:R}, expected {e[j]:R} (tolerance {RelativeTolerance} x {scale}).");
        }
    }

    private sealed class TextInput
    {
        public string Value { get; set; }
    }

    private sealed class VectorInput
    {
        public float[] Value { get; set; }
    }
}
