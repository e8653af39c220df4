// Usage: ModelHost <model.zip> <input.bin> <output.bin>
// input.bin: int32 rows, int32 features, then rows*features float32 (row-major), fed as a column "Features".
// output.bin: for each row, via Transform then via PredictionEngine: Score, LogLikelihood, then Latent (float32 each).
// Loads with only public ML.NET APIs, as an application would.
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ModelHost <model.zip> <input.bin> <output.bin>");
    return 2;
}
var ml = new MLContext(seed: 0);
var model = ml.Model.Load(args[0], out var inputSchema);

float[][] rows;
using (var r = new BinaryReader(File.OpenRead(args[1])))
{
    int n = r.ReadInt32(), d = r.ReadInt32();
    rows = new float[n][];
    for (int i = 0; i < n; i++)
    {
        rows[i] = new float[d];
        for (int j = 0; j < d; j++) rows[i][j] = r.ReadSingle();
    }
}
int features = rows[0].Length;
var schema = SchemaDefinition.Create(typeof(HostRow));
schema[nameof(HostRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
var data = ml.Data.LoadFromEnumerable(rows.Select(x => new HostRow { Features = x }), schema);

using var w = new BinaryWriter(File.Create(args[2]));
var scored = model.Transform(data);
var scores = scored.GetColumn<float>("Score").ToArray();
var logLikelihoods = scored.GetColumn<float>("LogLikelihood").ToArray();
var latents = scored.GetColumn<float[]>("Latent").ToArray();
for (int i = 0; i < rows.Length; i++)
{
    w.Write(scores[i]);
    w.Write(logLikelihoods[i]);
    foreach (var v in latents[i]) w.Write(v);
}
var outputSchema = SchemaDefinition.Create(typeof(HostPrediction));
outputSchema[nameof(HostPrediction.Latent)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
var engine = ml.Model.CreatePredictionEngine<HostRow, HostPrediction>(model, inputSchemaDefinition: schema, outputSchemaDefinition: outputSchema);
foreach (var row in rows)
{
    var p = engine.Predict(new HostRow { Features = row });
    w.Write(p.Score);
    w.Write(p.LogLikelihood);
    foreach (var v in p.Latent) w.Write(v);
}
return 0;

/// <summary>Input row of the host.</summary>
public sealed class HostRow
{
    /// <summary>Features.</summary>
    public float[] Features { get; set; }
}

/// <summary>Output row of the host.</summary>
public sealed class HostPrediction
{
    /// <summary>Score.</summary>
    public float Score { get; set; }
    /// <summary>Log-likelihood.</summary>
    public float LogLikelihood { get; set; }
    /// <summary>Latent.</summary>
    public float[] Latent { get; set; }
}
