using Microsoft.ML.Generative.PixelModels;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.PixelModels;

/// <summary>Small pixel networks for the math tests: a few layers on tiny images, seeded.</summary>
internal static class PixelTestNetworks
{
    public static PixelArchitecture Architecture(PixelRnnArchitecture kind, int channels, int height = 6, int width = 6, int levels = 4,
        int layers = 2, int classes = 0)
        => new()
        {
            Kind = kind == PixelRnnArchitecture.RowLstm ? PixelArchitectureKind.RowLstm : PixelArchitectureKind.GatedPixelCnn, Channels = channels, Height = height, Width = width, Levels = levels,
            FeatureMaps = 48, OutputFeatureMaps = 48, Layers = layers, KernelSize = 3, Classes = classes,
        };

    public static PixelNetwork Create(PixelArchitecture architecture, int seed = 1)
    {
        random.manual_seed(seed);
        PixelNetwork network = architecture.Kind == PixelArchitectureKind.RowLstm ? new RowLstm(architecture) : new GatedPixelCnn(architecture);
        network.eval();
        return network;
    }

    /// <summary>Random integer levels [batch, C, H, W] (float32).</summary>
    public static Tensor RandomImages(PixelArchitecture a, int batch, int seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return randint(0, a.Levels, new long[] { batch, a.Channels, a.Height, a.Width }, dtype: int64, generator: generator).to(float32);
    }

    /// <summary>Random class ids [batch] for a conditional architecture, else null.</summary>
    public static Tensor RandomLabels(PixelArchitecture a, int batch, int seed)
    {
        if (a.Classes == 0) return null;
        using var generator = new Generator((ulong)seed + 7, CPU);
        return randint(0, a.Classes, new long[] { batch }, dtype: int64, generator: generator);
    }
}
