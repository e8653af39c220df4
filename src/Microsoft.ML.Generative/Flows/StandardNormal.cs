using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>The base distribution of the flows: independent standard normals.</summary>
    internal static class StandardNormal
    {
        private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

        /// <summary>log N(z; 0, I) per row, summed over all non-batch dimensions.</summary>
        public static Tensor LogProb(Tensor z)
        {
            var flat = z.reshape(z.shape[0], -1);
            return -0.5 * flat.pow(2).sum(1) - flat.shape[1] * HalfLog2Pi;
        }

        /// <summary>Draws z ~ N(0, temperature^2 I) of the given shape from a local generator.</summary>
        /// <remarks>A temperature below 1 draws from the typical, high-density core (as in Glow's samples).</remarks>
        public static Tensor Sample(long[] shape, double temperature, Generator generator, Device device = null)
        {
            // Drawn on the CPU generator, then moved: results do not depend on the device.
            var z = randn(shape, dtype: ScalarType.Float32, generator: generator) * temperature;
            return device is null || device.type == DeviceType.CPU ? z : z.to(device);
        }
    }
}
