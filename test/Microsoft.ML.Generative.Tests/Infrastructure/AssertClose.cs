using System.Globalization;
using Xunit.Sdk;

namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>
/// Comparisons of numbers that come from different computation paths (batch vs single row, chunked vs whole, float32
/// vs a double recomputation, ...): equal up to a relative tolerance that the test states, never by decimal rounding
/// (rounding both sides fails values one ulp apart that straddle a rounding boundary). Where two results are the same
/// computation on the same inputs (a saved and loaded model scored the same way), tests compare bits instead.
/// </summary>
public static class AssertClose
{
    /// <summary>
    /// Passes when |actual - expected| &lt;= relativeTolerance x max(|expected|, magnitude). <paramref name="magnitude"/>
    /// is the size of the terms the value was computed from, for values that can be near zero while their rounding
    /// error is not (a difference or a distance of larger numbers); 0 makes the tolerance purely relative to
    /// <paramref name="expected"/>. Equal infinities pass; NaN never does.
    /// </summary>
    public static void Relative(double expected, double actual, double relativeTolerance, string what, double magnitude = 0)
    {
        if (!(relativeTolerance >= 0) || !(magnitude >= 0))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), "the tolerance and the magnitude must be non-negative numbers");
        if (expected == actual) return; // also equal infinities
        double scale = Math.Max(Math.Abs(expected), magnitude);
        double difference = Math.Abs(actual - expected);
        double bound = relativeTolerance * scale;
        if (difference <= bound) return; // false for NaN and for unequal infinities
        throw new XunitException(string.Create(CultureInfo.InvariantCulture,
            $"{what}: expected {expected:R}, actual {actual:R}; the difference {difference:E3} is more than {relativeTolerance:E1} x {scale:G6} = {bound:E3}."));
    }

    /// <summary>
    /// Element-wise comparison of two vectors, each element within relativeTolerance x the largest |expected| of the
    /// vector (float32 error in a latent vector or a row of outputs follows the size of the values that flowed into
    /// it, not that of each entry, some of which are near zero), or x <paramref name="magnitude"/> if that is larger.
    /// </summary>
    public static void Relative(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double relativeTolerance, string what, double magnitude = 0)
    {
        if (expected.Count != actual.Count)
            throw new XunitException($"{what}: expected {expected.Count} values, actual {actual.Count}.");
        double largest = magnitude;
        foreach (float v in expected) largest = Math.Max(largest, Math.Abs((double)v));
        for (int i = 0; i < expected.Count; i++)
            Relative(expected[i], actual[i], relativeTolerance, $"{what}, value {i}", largest);
    }
}
