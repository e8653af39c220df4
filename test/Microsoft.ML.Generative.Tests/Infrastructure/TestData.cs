using System.Globalization;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>The small data files embedded in the test project (Data/, copied beside the test assembly; see Data/README.md).</summary>
public static class TestData
{
    /// <summary>The path of an embedded data file.</summary>
    public static string File(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", name);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"Embedded test data '{name}' not found beside the test assembly.", path);
        return path;
    }

    /// <summary>
    /// The Wisconsin breast-cancer table (569 rows): the 30 features of each row and its target (0 = malignant,
    /// 1 = benign). The first line of the file is scikit-learn's count header.
    /// </summary>
    public static (float[][] features, int[] targets) BreastCancer()
    {
        var rows = System.IO.File.ReadLines(File("breast_cancer.csv")).Skip(1)
            .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return (rows.Select(r => r[..^1]).ToArray(), rows.Select(r => (int)r[^1]).ToArray());
    }
}
