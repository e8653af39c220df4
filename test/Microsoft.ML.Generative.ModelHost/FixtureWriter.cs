// Writes the checked-in model fixtures of test/Microsoft.ML.Generative.Tests/Fixtures/Models: for each model family a
// small saved model zip and, beside it, a JSON file with fixed input rows and the outputs the model gave for them when
// it was written. SavedModelFixtureTests loads every zip there on every run and compares, so a change that alters
// saved keys or the model format (without keeping the old format readable) fails CI.
//   usage: ModelHost write-fixtures <directory>
// Run it after a format change: it adds the fixture of each new format and keeps every existing one (they stand for the
// models users already saved).
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Generative;

public static class FixtureWriter
{
    public static int Run(string directory)
    {
        Directory.CreateDirectory(directory);
        var ml = new MLContext(seed: 1);
        WriteVectorFlow(ml, directory);
        WriteImageFlow(ml, directory);
        WriteCharRnn(ml, directory);
        WritePixelRnn(ml, directory);
        return 0;
    }

    private static void WriteVectorFlow(MLContext ml, string directory)
    {
        var random = new Random(7);
        float[] Row() { float a = (float)random.NextDouble() * 4 - 2; return new[] { a, a * a + 0.3f * (float)random.NextDouble(), (float)random.NextDouble() * 10 + 5 }; }
        var train = Enumerable.Range(0, 400).Select(_ => Row()).ToList();
        var inputs = Enumerable.Range(0, 6).Select(_ => Row()).Append(new[] { 8f, -3f, 40f }).ToList();
        var flow = ml.Generative().RealNvp(new RealNvpOptions
        {
            NumberOfCouplingLayers = 2, HiddenLayerSize = 8, MaxEpochs = 3, BatchSize = 64, Seed = 3, NumberOfThreads = 1,
        }).Fit(VectorData(ml, "Features", train));
        var scored = flow.Transform(VectorData(ml, "Features", inputs));
        Write(directory, "realnvp", "RealNvp", flow, VectorData(ml, "Features", inputs), ml, "Features", Json(inputs), new JsonObject
        {
            ["Score"] = Json(scored.GetColumn<float>("Score")),
            ["LogLikelihood"] = Json(scored.GetColumn<float>("LogLikelihood")),
            ["Latent"] = Json(scored.GetColumn<float[]>("Latent")),
            ["PredictedLabel"] = new JsonArray(scored.GetColumn<bool>("PredictedLabel").Select(b => (JsonNode)b).ToArray()),
        });
    }

    private static void WriteImageFlow(MLContext ml, string directory)
    {
        // 4x4 grey images of 4 levels: two scales (squeeze and factor-out) and ActNorm layers after the couplings (format 3;
        // the format-2 fixture has batch-norm layers, written with the then-current BatchNormLayers = true).
        var random = new Random(11);
        float[] Image()
        {
            var pixels = new float[16];
            int line = random.Next(4);
            bool horizontal = random.Next(2) == 0;
            for (int i = 0; i < 16; i++)
                pixels[i] = (horizontal ? i / 4 == line : i % 4 == line) ? 3 : random.NextDouble() < 0.1 ? 1 : 0;
            return pixels;
        }
        var train = Enumerable.Range(0, 256).Select(_ => Image()).ToList();
        var inputs = Enumerable.Range(0, 5).Select(_ => Image()).Append(Enumerable.Range(0, 16).Select(i => (float)(i % 4)).ToArray()).ToList();
        var flow = ml.Generative().RealNvpImage(new RealNvpImageOptions
        {
            Channels = 1, Height = 4, Width = 4, PixelLevels = 4, NumberOfScales = 2, NumberOfResidualBlocks = 0, FeatureMaps = 16,
            Normalization = FlowNormalization.ActNorm, MaxEpochs = 2, BatchSize = 32, Seed = 5, NumberOfThreads = 1,
        }).Fit(VectorData(ml, "Pixels", train));
        var scored = flow.Transform(VectorData(ml, "Pixels", inputs));
        Write(directory, "realnvp-image", "RealNvpImage", flow, VectorData(ml, "Pixels", inputs), ml, "Pixels", Json(inputs), new JsonObject
        {
            ["Score"] = Json(scored.GetColumn<float>("Score")),
            ["LogLikelihood"] = Json(scored.GetColumn<float>("LogLikelihood")),
            ["BitsPerDimension"] = Json(scored.GetColumn<float>("BitsPerDimension")),
            ["Latent"] = Json(scored.GetColumn<float[]>("Latent")),
            ["ComplexityScore"] = Json(scored.GetColumn<float>("ComplexityScore")),
            ["TypicalityScore"] = Json(scored.GetColumn<float>("TypicalityScore")),
        });
    }

    private static void WritePixelRnn(MLContext ml, string directory)
    {
        // 3-channel 3x3 images of 4 levels (so the colour masks are saved too), one fixture per architecture, each 2 layers.
        // Half the images are a shifted pattern, half noise: the trained model's bits/dim then spread widely, so the
        // TypicalityScore (a difference of bits/dim divided by that spread) is not dominated by float32 rounding.
        foreach (var (name, architecture) in new[] { ("pixelrnn-gated", PixelRnnArchitecture.GatedPixelCnn), ("pixelrnn-rowlstm", PixelRnnArchitecture.RowLstm) })
        {
            var random = new Random(17);
            float[] Image()
            {
                int shift = random.Next(4);
                bool noise = random.Next(2) == 0;
                return Enumerable.Range(0, 27).Select(i => (float)(noise ? random.Next(4) : (i / 9 + i % 3 + shift) % 4)).ToArray();
            }
            var train = Enumerable.Range(0, 128).Select(_ => Image()).ToList();
            var inputs = Enumerable.Range(0, 5).Select(_ => Image()).Append(new float[27]).ToList();
            var model = ml.Generative().PixelRnn(new PixelRnnOptions
            {
                Channels = 3, Height = 3, Width = 3, PixelLevels = 4, Architecture = architecture, NumberOfLayers = 2,
                FeatureMaps = 48, OutputFeatureMaps = 48, MaxEpochs = 30, LearningRate = 0.01f, BatchSize = 32, Seed = 4, NumberOfThreads = 1,
            }).Fit(VectorData(ml, "Pixels", train));
            var scored = model.Transform(VectorData(ml, "Pixels", inputs));
            Write(directory, name, "PixelRnn", model, VectorData(ml, "Pixels", inputs), ml, "Pixels", Json(inputs), new JsonObject
            {
                ["Score"] = Json(scored.GetColumn<float>("Score")),
                ["LogLikelihood"] = Json(scored.GetColumn<float>("LogLikelihood")),
                ["BitsPerDimension"] = Json(scored.GetColumn<float>("BitsPerDimension")),
                ["ComplexityScore"] = Json(scored.GetColumn<float>("ComplexityScore")),
                ["TypicalityScore"] = Json(scored.GetColumn<float>("TypicalityScore")),
            });
        }
    }

    private static void WriteCharRnn(MLContext ml, string directory)
    {
        // Two small LSTM models (bidirectional), reading last to first: the newest fields of the char-RNN format.
        string[] users = { "alice", "bob", "carol" };
        var random = new Random(13);
        string Line() => $"{users[random.Next(3)]} logged in from 10.0.{random.Next(4)}.{random.Next(10)}";
        var train = Enumerable.Range(0, 200).Select(_ => Line()).ToList();
        var inputs = new List<string> { Line(), Line(), "", "zzz unknown \u00e9v\u00e9nement", Line() + " " + Line() };
        var lm = ml.Generative().CharRnn(new CharRnnOptions
        {
            CellType = CharRnnCellType.Lstm, NumberOfLayers = 2, HiddenSize = 16, EmbeddingSize = 8, Bidirectional = true,
            ReadingOrder = CharRnnReadingOrder.LastToFirst, MaxEpochs = 2, BatchSize = 16, Seed = 2, NumberOfThreads = 1,
        }).Fit(TextData(ml, train));
        var scored = lm.Transform(TextData(ml, inputs));
        Write(directory, "charrnn", "CharRnn", lm, TextData(ml, inputs), ml, "Text", new JsonArray(inputs.Select(s => (JsonNode)s).ToArray()), new JsonObject
        {
            ["LogLikelihood"] = Json(scored.GetColumn<float>("LogLikelihood")),
            ["Score"] = Json(scored.GetColumn<float>("Score")),
            ["BitsPerCharacter"] = Json(scored.GetColumn<float>("BitsPerCharacter")),
            ["Embedding"] = Json(scored.GetColumn<float[]>("Embedding")),
        });
    }

    /// <summary>Saves <paramref name="model"/> as &lt;name&gt;-format&lt;N&gt;.zip with the JSON of its inputs and outputs beside it.</summary>
    private static void Write(string directory, string name, string kind, ITransformer model, IDataView inputData, MLContext ml,
        string inputColumn, JsonNode inputs, JsonObject outputs)
    {
        int format = FormatVersionOf(model, ml, inputData.Schema);
        string stem = Path.Combine(directory, $"{name}-format{format}");
        if (File.Exists(stem + ".zip"))
        {
            Console.WriteLine($"{stem}.zip exists and is kept: a fixture stands for models users saved in that format.");
            return;
        }
        ml.Model.Save(model, inputData.Schema, stem + ".zip");
        var document = new JsonObject
        {
            ["kind"] = kind,
            ["formatVersion"] = format,
            ["inputColumn"] = inputColumn,
            ["inputs"] = inputs,
            ["outputs"] = outputs,
        };
        File.WriteAllText(stem + ".json", document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote {stem}.zip and .json");
    }

    /// <summary>The format version in the saved container's header (see the library's Persistence/ModelContainer).</summary>
    private static int FormatVersionOf(ITransformer model, MLContext ml, DataViewSchema schema)
    {
        string probe = Path.GetTempFileName();
        try
        {
            ml.Model.Save(model, schema, probe);
            using var zip = System.IO.Compression.ZipFile.OpenRead(probe);
            var entry = zip.Entries.Single(e => e.Name == "Model.bin");
            using var stream = entry.Open();
            var header = new byte[12];
            stream.ReadExactly(header);
            return BitConverter.ToInt32(header, 8); // after the 8-byte magic "MLGENMOD"
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static IDataView VectorData(MLContext ml, string column, IReadOnlyList<float[]> rows)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        var values = definition[nameof(VectorRow.Values)];
        values.ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Length);
        values.ColumnName = column;
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Values = r }), definition);
    }

    private static IDataView TextData(MLContext ml, IEnumerable<string> rows)
        => ml.Data.LoadFromEnumerable(rows.Select(r => new TextRow { Text = r }));

    private static JsonArray Json(IEnumerable<float> values)
        => new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(double.Parse(v.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))).ToArray());

    private static JsonArray Json(IEnumerable<float[]> rows) => new JsonArray(rows.Select(r => (JsonNode)Json(r)).ToArray());

    private sealed class VectorRow
    {
        public float[] Values { get; set; }
    }
}
