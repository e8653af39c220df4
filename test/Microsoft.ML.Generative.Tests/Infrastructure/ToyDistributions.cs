namespace Microsoft.ML.Generative.Tests.Infrastructure;

/// <summary>Seeded samplers for densities with known log-density, as used in the flow literature (FFJORD's toys).</summary>
public static class ToyDistributions
{
    public static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static readonly (double x, double y)[] EightCenters = Enumerable.Range(0, 8)
        .Select(k => (4 * Math.Cos(k * Math.PI / 4), 4 * Math.Sin(k * Math.PI / 4))).ToArray();

    /// <summary>"8 gaussians": centers on a circle of radius 4, std 0.5, all divided by 1.414. Entropy ≈ 2.83 nats.</summary>
    public static float[][] EightGaussians(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var c = EightCenters[r.Next(8)];
            return new[] { (float)((c.x + 0.5 * Normal(r)) / 1.414), (float)((c.y + 0.5 * Normal(r)) / 1.414) };
        }).ToArray();
    }

    /// <summary>Exact log-density of <see cref="EightGaussians"/>.</summary>
    public static double EightGaussiansLogDensity(float[] p)
    {
        const double s = 0.5 / 1.414;
        double sum = 0;
        foreach (var c in EightCenters)
        {
            double dx = p[0] - c.x / 1.414, dy = p[1] - c.y / 1.414;
            sum += Math.Exp(-(dx * dx + dy * dy) / (2 * s * s)) / (2 * Math.PI * s * s);
        }
        return Math.Log(sum / 8);
    }

    /// <summary>"checkerboard": uniform on 8 of the 16 2x2 squares of [-4,4]^2. Entropy = ln 32 ≈ 3.47 nats.</summary>
    public static float[][] Checkerboard(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            double x1 = r.NextDouble() * 4 - 2;
            double x2 = r.NextDouble() - r.Next(2) * 2;
            x2 += ((Math.Floor(x1) % 2) + 2) % 2; // Python's floor(x1) % 2 (C#'s % keeps the sign)
            return new[] { (float)(x1 * 2), (float)(x2 * 2) };
        }).ToArray();
    }
}
