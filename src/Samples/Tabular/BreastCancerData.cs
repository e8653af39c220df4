using System.IO;
using System.Linq;
using System.Reflection;
using Samples.Cli;

namespace Samples.Tabular
{
    /// <summary>
    /// The embedded Wisconsin Diagnostic Breast Cancer table (scikit-learn's copy; see Data/README.md):
    /// 569 rows of 30 features. Malignant rows are labelled 1 (the anomalies), benign rows 0.
    /// </summary>
    internal static class BreastCancerData
    {
        private const string ResourceName = "Samples.Data.breast_cancer.csv";

        /// <summary>Feature names as scikit-learn gives them: mean, standard error and worst of ten measurements.</summary>
        public static readonly string[] FeatureNames = Enumerable.Empty<string>()
            .Concat(Measurements.Select(m => $"mean {m}"))
            .Concat(Measurements.Select(m => $"{m} error"))
            .Concat(Measurements.Select(m => $"worst {m}"))
            .ToArray();

        private static string[] Measurements => new[]
        {
            "radius", "texture", "perimeter", "area", "smoothness",
            "compactness", "concavity", "concave points", "symmetry", "fractal dimension",
        };

        public static NumericTable Load()
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
                ?? throw new DataException($"embedded resource {ResourceName} is missing from the build.");
            using var reader = new StreamReader(stream);

            // Line 1 is "569,30,malignant,benign": row count, feature count, names of target 0 and 1.
            var counts = reader.ReadLine()?.Split(',');
            if (counts is null || counts.Length != 4 || counts[1] != "30" || counts[2] != "malignant")
                throw new DataException($"embedded resource {ResourceName} does not start with the expected count header.");

            var csv = DelimitedText.Read(reader, ResourceName, ',', hasHeader: false, linesBefore: 1);
            var rows = csv.Rows.Select(fields => fields.Take(30).Select(f => float.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
            // Target 0 = malignant: that is the anomaly (label 1) for a detector trained on benign rows.
            var labels = csv.Rows.Select(fields => fields[30] == "0" ? 1f : 0f).ToArray();
            if (rows.Length != int.Parse(counts[0])) throw new DataException($"embedded resource {ResourceName} has {rows.Length} rows; its header says {counts[0]}.");
            return new NumericTable(FeatureNames, rows, labels, csv.LineNumbers.ToArray());
        }
    }
}
