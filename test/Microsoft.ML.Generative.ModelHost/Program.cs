// A separate process for the persistence tests: loads a saved pipeline zip with public ML.NET APIs only, as an
// application would, and scores rows through Transform and through a PredictionEngine.
//   usage: ModelHost <model.zip> <input.csv> <output.bin>
// input.csv: header "A,B,C", then rows of floats written with round-trip precision.
// output.bin: for every row via Transform, then for every row via PredictionEngine:
//             Score, LogLikelihood, then the Latent values (float32 each).
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ModelHost <model.zip> <input.csv> <output.bin>");
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
