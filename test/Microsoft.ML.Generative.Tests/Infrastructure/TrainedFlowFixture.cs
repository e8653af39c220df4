using Microsoft.ML.Generative.Flows;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Raw three-column rows: the shape of the tests' Concatenate -> RealNvp pipeline.</summary>
public sealed class AbcRow
{
    [LoadColumn(0)] public float A { get; set; }
    [LoadColumn(1)] public float B { get; set; }
    [LoadColumn(2)] public float C { get; set; }
    public float Label { get; set; }
}

/// <summary>PredictionEngine output of the Real NVP columns.</summary>
public sealed class FlowPrediction
{
    public float Score { get; set; }
    public float LogLikelihood { get; set; }
    [VectorType(3)] public float[] Latent { get; set; }
    public bool PredictedLabel { get; set; }
}

/// <summary>
/// One small pipeline, Concatenate("Features", "A", "B", "C") -> RealNvp, trained once and shared by the tests
/// of a class: correlated, shifted, differently scaled features, plus a few far-away anomalies in the test rows.
/// </summary>
public sealed class TrainedFlowFixture : IDisposable
{
    public TrainedFlowFixture()
    {
        Ml = new MLContext(seed: 1);
        TrainRows = MakeRows(1500, seed: 1, anomalies: 0);
        TestRows = MakeRows(600, seed: 2, anomalies: 30);
        Train = Ml.Data.LoadFromEnumerable(TrainRows);
        Test = Ml.Data.LoadFromEnumerable(TestRows);
        Pipeline = Ml.Transforms.Concatenate("Features", nameof(AbcRow.A), nameof(AbcRow.B), nameof(AbcRow.C))
            .Append(Ml.Generative().RealNvp(Options()));
        Model = Pipeline.Fit(Train);
    }

    public static RealNvpOptions Options() => new RealNvpOptions
    {
        NumberOfCouplingLayers = 4,
        HiddenLayerSize = 32,
        MaxEpochs = 15,
        BatchSize = 128,
        Seed = 3,
        NumberOfThreads = TestThreads.Count,
    };

    public MLContext Ml { get; }
    public AbcRow[] TrainRows { get; }
    public AbcRow[] TestRows { get; }
    public IDataView Train { get; }
    public IDataView Test { get; }
    public EstimatorChain<RealNvpTransformer> Pipeline { get; }
    public TransformerChain<RealNvpTransformer> Model { get; }
    public RealNvpTransformer Flow => Model.LastTransformer;

    /// <summary>A ~ N(100, 10^2); B = 0.05 A + N(0, 0.3^2); C = sin(B) + N(0, 0.1^2). Anomalies are placed far off the manifold.</summary>
    public static AbcRow[] MakeRows(int n, int seed, int anomalies)
    {
        var r = new Random(seed);
        var rows = new AbcRow[n];
        for (int i = 0; i < n; i++)
        {
            float a = (float)(100 + 10 * ToyDistributions.Normal(r));
            float b = (float)(0.05 * a + 0.3 * ToyDistributions.Normal(r));
            float c = (float)(Math.Sin(b) + 0.1 * ToyDistributions.Normal(r));
            rows[i] = new AbcRow { A = a, B = b, C = c };
        }
        foreach (int k in Enumerable.Range(0, n).OrderBy(_ => r.Next()).Take(anomalies))
        {
            rows[k].C += (float)(r.Next(2) == 0 ? -1.5 : 1.5);
            rows[k].Label = 1;
        }
        return rows;
    }

    public void Dispose() => Flow.Dispose();
}
