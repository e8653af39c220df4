// A separate process for the persistence tests: loads a saved pipeline zip with public ML.NET APIs only, as an
// application would, and scores rows through Transform and through a PredictionEngine.
//   usage: ModelHost <model.zip> <input.csv> <output.bin>            (a Real NVP pipeline)
//          ModelHost charrnn <model.zip> <input.txt> <output.bin>    (a char-RNN pipeline)
// input.csv: header "A,B,C", then rows of floats written with round-trip precision.
// output.bin: for every row via Transform, then for every row via PredictionEngine:
//             Score, LogLikelihood, then the Latent values (float32 each).
// input.txt: one text row per line (UTF-8). output.bin: for every row via Transform, then via PredictionEngine:
//             LogLikelihood, Score, BitsPerCharacter, then the Embedding values (float32 each).
//          ModelHost image <model.zip> <input.txt> <output.bin>      (an image Real NVP pipeline, input column "Pixels")
// input.txt: one image per line, its pixel values separated by spaces. output.bin: for every row via Transform, then via
//             PredictionEngine: Score, LogLikelihood, BitsPerDimension, then the Latent values (float32 each).
//          ModelHost pixelrnn <model.zip> <input.txt> <output.bin>   (a Pixel RNN pipeline, input column "Pixels")
// input.txt as for image. output.bin: for every row via Transform, then via PredictionEngine: Score, LogLikelihood,
//             BitsPerDimension, ComplexityScore, TypicalityScore (float32 each).
//          ModelHost write-fixtures <directory>                       (see FixtureWriter.cs)
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length == 2 && args[0] == "write-fixtures")
    return FixtureWriter.Run(args[1]);

if (args.Length == 4 && args[0] == "charrnn")
    return CharRnnHost.Run(args[1], args[2], args[3]);
if (args.Length == 4 && args[0] == "image")
    return ImageHost.Run(args[1], args[2], args[3]);
if (args.Length == 4 && args[0] == "pixelrnn")
    return PixelRnnHost.Run(args[1], args[2], args[3]);
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ModelHost <model.zip> <input.csv> <output.bin> | ModelHost charrnn <model.zip> <input.txt> <output.bin>");
    return 2;
}
var ml = new MLContext(seed: 0);
var model = ml.Model.Load(args[0], out _);
var data = ml.Data.LoadFromTextFile<HostRow>(args[1], separatorChar: ',', hasHeader: true);

using var w = new BinaryWriter(File.Create(args[2]));
var scored = model.Transform(data);
var scores = scored.GetColumn<float>("Score").ToArray();
var logLikelihoods = scored.GetColumn<float>("LogLikelihood").ToArray();
var latents = scored.GetColumn<float[]>("Latent").ToArray();
for (int i = 0; i < scores.Length; i++)
{
    w.Write(scores[i]);
    w.Write(logLikelihoods[i]);
    foreach (var v in latents[i]) w.Write(v);
}
var engine = ml.Model.CreatePredictionEngine<HostRow, HostPrediction>(model);
foreach (var row in ml.Data.CreateEnumerable<HostRow>(data, reuseRowObject: false))
{
    var p = engine.Predict(row);
    w.Write(p.Score);
    w.Write(p.LogLikelihood);
    foreach (var v in p.Latent) w.Write(v);
}
return 0;

/// <summary>Raw input columns of the tests' pipeline (Concatenate("Features", "A", "B", "C") -> RealNvp).</summary>
public sealed class HostRow
{
    [LoadColumn(0)] public float A { get; set; }
    [LoadColumn(1)] public float B { get; set; }
    [LoadColumn(2)] public float C { get; set; }
}

/// <summary>The Real NVP outputs read back.</summary>
public sealed class HostPrediction
{
    public float Score { get; set; }
    public float LogLikelihood { get; set; }
    public float[] Latent { get; set; }
}

/// <summary>Scores a text file with a saved char-RNN pipeline (input column "Text").</summary>
public static class CharRnnHost
{
    public static int Run(string modelPath, string inputPath, string outputPath)
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(modelPath, out _);
        var rows = File.ReadAllLines(inputPath).Select(l => new TextRow { Text = l }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var w = new BinaryWriter(File.Create(outputPath));
        var scored = model.Transform(data);
        foreach (var p in ml.Data.CreateEnumerable<TextPrediction>(scored, reuseRowObject: false))
            Write(w, p);
        var engine = ml.Model.CreatePredictionEngine<TextRow, TextPrediction>(model);
        foreach (var row in rows)
            Write(w, engine.Predict(row));
        return 0;
    }

    private static void Write(BinaryWriter w, TextPrediction p)
    {
        w.Write(p.LogLikelihood);
        w.Write(p.Score);
        w.Write(p.BitsPerCharacter);
        foreach (var v in p.Embedding) w.Write(v);
    }
}

/// <summary>Input of the char-RNN pipeline.</summary>
public sealed class TextRow
{
    public string Text { get; set; }
}

/// <summary>The char-RNN outputs read back.</summary>
public sealed class TextPrediction
{
    public string Text { get; set; }
    public float LogLikelihood { get; set; }
    public float Score { get; set; }
    public float BitsPerCharacter { get; set; }
    public float[] Embedding { get; set; }
}

/// <summary>Scores images with a saved image pipeline (input column "Pixels", size read from the file).</summary>
public static class ImageHost
{
    /// <summary>An image Real NVP pipeline.</summary>
    public static int Run(string modelPath, string inputPath, string outputPath)
        => Run<ImagePrediction>(modelPath, inputPath, outputPath, (w, p) =>
        {
            w.Write(p.Score);
            w.Write(p.LogLikelihood);
            w.Write(p.BitsPerDimension);
            foreach (var v in p.Latent) w.Write(v);
            w.Write(p.ComplexityScore);
            w.Write(p.TypicalityScore);
        });

    /// <summary>Every row via Transform, then every row via PredictionEngine, each written by <paramref name="write"/>.</summary>
    public static int Run<TPrediction>(string modelPath, string inputPath, string outputPath, Action<BinaryWriter, TPrediction> write)
        where TPrediction : class, new()
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(modelPath, out _);
        var rows = File.ReadAllLines(inputPath)
            .Select(l => new ImageRow { Pixels = l.Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray() })
            .ToList();
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(ImageRow));
        definition["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Pixels.Length);
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        using var w = new BinaryWriter(File.Create(outputPath));
        foreach (var p in ml.Data.CreateEnumerable<TPrediction>(model.Transform(data), reuseRowObject: false))
            write(w, p);
        var engine = ml.Model.CreatePredictionEngine<ImageRow, TPrediction>(model, inputSchemaDefinition: definition);
        foreach (var row in rows)
            write(w, engine.Predict(row));
        return 0;
    }
}

/// <summary>Input of the image pipeline.</summary>
public sealed class ImageRow
{
    public float[] Pixels { get; set; }
}

/// <summary>The image Real NVP outputs read back.</summary>
public sealed class ImagePrediction
{
    public float Score { get; set; }
    public float LogLikelihood { get; set; }
    public float BitsPerDimension { get; set; }
    public float[] Latent { get; set; }
    public float ComplexityScore { get; set; }
    public float TypicalityScore { get; set; }
}

/// <summary>Scores images with a saved Pixel RNN pipeline (input column "Pixels", size read from the file).</summary>
public static class PixelRnnHost
{
    public static int Run(string modelPath, string inputPath, string outputPath)
        => ImageHost.Run<PixelRnnPrediction>(modelPath, inputPath, outputPath, (w, p) =>
        {
            w.Write(p.Score);
            w.Write(p.LogLikelihood);
            w.Write(p.BitsPerDimension);
            w.Write(p.ComplexityScore);
            w.Write(p.TypicalityScore);
        });
}

/// <summary>The Pixel RNN outputs read back.</summary>
public sealed class PixelRnnPrediction
{
    public float Score { get; set; }
    public float LogLikelihood { get; set; }
    public float BitsPerDimension { get; set; }
    public float ComplexityScore { get; set; }
    public float TypicalityScore { get; set; }
}
