using System.Globalization;

namespace Microsoft.ML.Generative.Benchmarks.Data;

/// <summary>
/// One ODDS anomaly benchmark table (tabular/anomaly/&lt;name&gt;.csv): header x0..xN,label; label 1 = anomaly.
/// Rows are kept as a dense row-major float matrix.
/// </summary>
internal sealed class OddsDataSet
{
    /// <summary>The six ODDS sets of the protocol, in report order.</summary>
    public static readonly string[] All = { "thyroid", "shuttle", "cardio", "mammography", "satellite", "pendigits" };

    private OddsDataSet(string name, float[] features, bool[] isAnomaly, int features_)
    {
        Name = name;
        Features = features;
        IsAnomaly = isAnomaly;
        FeatureCount = features_;
    }

    public string Name { get; }
    public float[] Features { get; }
    public bool[] IsAnomaly { get; }
    public int FeatureCount { get; }
    public int Rows => IsAnomaly.Length;
    public int Anomalies => IsAnomaly.Count(a => a);

    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(i * FeatureCount, FeatureCount);

    public static OddsDataSet Load(string dataDirectory, string name)
    {
        string path = Path.Combine(dataDirectory, "tabular", "anomaly", name + ".csv");
        if (!File.Exists(path)) throw new FileNotFoundException($"ODDS set '{name}' not found at {path}.", path);
        using var reader = new StreamReader(path);
        string[] header = reader.ReadLine()?.Split(',') ?? throw new InvalidDataException($"{path} is empty.");
        if (header[^1] != "label") throw new InvalidDataException($"{path}: the last column is '{header[^1]}', expected 'label'.");
        int d = header.Length - 1;
        var values = new List<float>();
        var labels = new List<bool>();
        string line;
        int lineNumber = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            if (cells.Length != d + 1) throw new InvalidDataException($"{path}, line {lineNumber}: {cells.Length} cells, expected {d + 1}.");
            for (int j = 0; j < d; j++)
                values.Add(float.Parse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture));
            labels.Add(double.Parse(cells[d], NumberStyles.Float, CultureInfo.InvariantCulture) == 1.0);
        }
        return new OddsDataSet(name, values.ToArray(), labels.ToArray(), d);
    }
}
