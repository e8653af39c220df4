using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Parses the Device option ("cpu", "cuda", "cuda:N") and checks it is usable.</summary>
    internal static class TorchDevice
    {
        public static Device Parse(string device)
        {
            string d = (device ?? "cpu").Trim().ToLowerInvariant();
            if (d == "cpu") return CPU;
            if (d == "cuda" || (d.StartsWith("cuda:") && int.TryParse(d.AsSpan(5), out int index) && index >= 0))
                return new Device(d);
            throw new ArgumentOutOfRangeException(nameof(device), device, "Device must be \"cpu\", \"cuda\" or \"cuda:N\".");
        }

        /// <summary>The device, after checking that a CUDA device is actually available when one is asked for.</summary>
        public static Device Resolve(string device)
        {
            var parsed = Parse(device);
            if (parsed.type == DeviceType.CUDA && !cuda.is_available())
                throw new InvalidOperationException($"Device '{device}' was requested but CUDA is not available: reference a CUDA build of libtorch (for example TorchSharp-cuda-linux) and run on a machine with an NVIDIA GPU, or use Device = \"cpu\".");
            return parsed;
        }
    }
}
